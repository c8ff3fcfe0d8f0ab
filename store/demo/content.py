"""The demo team's cast and copy: who works where, what they post about, what the audience says."""

from __future__ import annotations

USERS = [
    # login, name, role, timezone
    ("ines", "Inès Marchal", "admin", "Europe/Paris"),
    ("maya", "Maya Okafor", "manager", "Europe/London"),
    ("omar", "Omar Haddad", "manager", "America/New_York"),
    ("jules", "Jules Weber", "editor", "Europe/Berlin"),
    ("priya", "Priya Raman", "editor", "Europe/London"),
    ("tom", "Tom Becker", "editor", "America/New_York"),
    ("lena", "Lena Sato", "editor", "Asia/Tokyo"),
    ("rafa", "Rafael Costa", "reviewer", "Europe/Lisbon"),
    ("kim", "Kim Nguyen", "reviewer", "America/Los_Angeles"),
    ("noor", "Noor Aziz", "reviewer", "Asia/Dubai"),
    ("acme-client", "Dana Fields (Acme)", "client", "Europe/London"),
    ("birch-client", "Ola Nordmann (Birch)", "client", "Europe/Oslo"),
]

BRANDS = {
    "acme-coffee": {
        "name": "Acme Coffee",
        "client": "acme-client",
        "channels": [
            ("instagram", "@acmecoffee", 3),
            ("tiktok", "@acmecoffee", 2),
            ("x", "@acmecoffee", None),
            ("bluesky", "acmecoffee.bsky.social", None),
            ("linkedin", "acme-coffee", 1),
        ],
        "pillars": ["Product", "Behind the bar", "Community", "Education"],
        "campaigns": [("Winter Blend launch", -10, 20), ("Holiday gifting", 5, 35)],
        "tags": ["seasonal", "ugc", "recipe", "team", "sustainability"],
        "subjects": [
            "Winter Blend",
            "oat flat white",
            "pour-over guide",
            "our roaster Ana",
            "latte art",
            "cold brew",
            "single-origin Ethiopia",
            "gift boxes",
            "the new Leeds shop",
            "compostable cups",
            "barista championship",
            "espresso 101",
        ],
    },
    "birch-outdoor": {
        "name": "Birch Outdoor",
        "client": "birch-client",
        "channels": [
            ("instagram", "@birchoutdoor", 4),
            ("facebook", "Birch Outdoor", 2),
            ("pinterest", "birchoutdoor", 2),
            ("youtube", "@birchoutdoor", None),
            ("mastodon", "@birch@mastodon.social", None),
            ("threads", "@birchoutdoor", None),
        ],
        "pillars": ["Gear", "Trails", "Stories", "Tips"],
        "campaigns": [("Trail season", -30, 10), ("Black Friday", -2, 6)],
        "tags": ["hiking", "camping", "review", "how-to", "community"],
        "subjects": [
            "the Ridge 40 pack",
            "winter layering",
            "Glen Coe loop",
            "down jackets",
            "trail running shoes",
            "leave no trace",
            "a night under the stars",
            "the repair shop",
            "headlamp buying guide",
            "family hikes",
            "the Fjell tent",
            "waterproofing 101",
        ],
    },
}

TITLE_FORMS = [
    "{subject}: first look",
    "Why we love {subject}",
    "{subject} in 30 seconds",
    "Ask us about {subject}",
    "{subject}, the story",
    "{subject} tips",
    "Meet {subject}",
    "{subject} giveaway",
    "Weekend: {subject}",
    "{subject} — behind the scenes",
]

CAPTION_FORMS = [
    "Say hello to {subject}. Made with care, ready for your weekend. {tags}",
    "Three things you didn't know about {subject} 👇\n\n1. It started with a sketch.\n2. We tested it for months.\n3. You asked, we listened. {tags}",
    "{subject} is back ✨ Tell us how you'll enjoy it in the comments. {tags}",
    "We asked the team what makes {subject} special. Their answers made us smile ☕🏔️ {tags}",
    "New on the blog: everything about {subject}. Link in bio. {tags}",
]

CHANGE_NOTES = [
    "Tone is too salesy; lead with the story.",
    "Please add the price and the launch date.",
    "Legal: remove 'best in the world'.",
    "Image credit missing.",
    "Shorten for X, it's over the limit in the override.",
    "Wrong hashtag: we use #AcmeCoffee, not #Acme.",
]

COMMENTS = [
    "Can we get a version with the product shot first?",
    "Love this one.",
    "Checked with legal, all fine.",
    "Could we post this a day earlier, before the weekend?",
    "Alt text for the second image please.",
    "Client asked to mention the newsletter.",
]

FAILURES = [
    "instagram: media processing failed (code 2207026); the video is over 90 s",
    "tiktok: access token expired; reconnect the account",
]

AUDIENCE = [
    "sunny_days",
    "trailmix_tess",
    "coffee.nerd",
    "mike_h",
    "laura.codes",
    "the_real_jp",
    "hikerhannah",
    "beanqueen",
    "outdoorsy_ollie",
    "mo_salah_fan",
    "yuki.t",
    "camille_b",
    "dave_on_tour",
    "espresso_ed",
    "fjell_fan",
    "grace.k",
    "nomad.nina",
    "petra.s",
]

INBOX_BODIES = {
    "comment": [
        "Looks amazing! Where can I buy it?",
        "Is this available in the UK?",
        "😍😍😍",
        "Price?",
        "Mine arrived broken, who do I talk to?",
        "Best one yet!",
        "Do you ship to Canada?",
        "This is exactly what I needed",
        "When is the next drop?",
    ],
    "mention": [
        "Shoutout to {brand} for the great service today!",
        "{brand} never disappoints ☕",
        "Anyone tried {brand}'s new stuff?",
        "@{handle} your Leeds shop is packed this morning",
        "Thanks {brand} for sponsoring our run club 🙌",
    ],
    "dm": [
        "Hi, my order #{n} hasn't arrived yet.",
        "Are you hiring baristas?",
        "Could we collaborate on a post? I have 40k followers.",
        "I was charged twice for order #{n}.",
        "Do you do wholesale?",
    ],
}

SAVED_REPLIES = [
    (
        "Order issue",
        "So sorry about that, {name}! Could you DM us your order number so we can sort it today?",
    ),
    ("Shipping", "We ship to the UK, EU, US and Canada. Delivery takes 2–5 working days."),
    ("Thanks", "Thank you so much, {name}, that made our day! 💛"),
    (
        "Collaboration",
        "Thanks for reaching out! Please send your media kit to partners@example.com.",
    ),
]
