"""The command palette (ctrl+p): go to a post by title or `#183`, new post, switch screen or
brand. Every name in it is people's text, shown as it is and never read as markup."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

import store

from .session import in_thread

#: The palette's names of the screens, in key order.
SCREEN_WORDS = {
    "calendar": ("Go to Calendar", "The content calendar (1)"),
    "board": ("Go to Board", "Posts by stage (2)"),
    "approvals": ("Go to Approvals", "The review queue (3)"),
}


def highlighted(matcher: Matcher, candidate: str) -> Content:
    """The candidate with the letters the query matched in bold, as plain text (Textual's own
    highlight reads the candidate as markup, and a brand called "Deals [/b]" breaks it)."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PostroomCommands(Provider):
    """Everything Postroom can jump to from the palette."""

    def _fixed(self):
        app = self.app
        if store.allowed(app.actor.role, store.Action.POST_CREATE):
            yield "New post", "Open the editor on a new post", app.new_post
        for mode, (title, words) in SCREEN_WORDS.items():
            if mode in app.MODES:
                yield title, words, partial(app.action_show_mode, mode)
        yield "All brands", "Show every brand you can see", partial(setattr, app, "brand_id", None)
        for brand in app.brands:
            yield (
                f"Brand: {brand.name}",
                f"Show only {brand.name}",
                partial(setattr, app, "brand_id", brand.id),
            )

    async def discover(self) -> Hits:
        for title, help_text, callback in self._fixed():
            yield DiscoveryHit(Content(title), callback, text=title, help=Content(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._fixed():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, title),
                    callback,
                    text=title,
                    help=Content(help_text),
                )
        number = query.strip().removeprefix("#")
        if len(query.strip()) < 2 and not number.isdigit():
            return
        app = self.app
        posts = await asyncio.to_thread(
            in_thread,
            lambda: store.search_posts(app.session.actor(), query, brand_id=app.brand_id, limit=15),
        )
        for post in posts:
            label = f"Post: {post.title}"
            when = post.publish_at.strftime("%d %b") if post.publish_at else "unscheduled"
            exact = number.isdigit() and post.id == int(number)
            yield Hit(
                1.0 if exact else max(matcher.match(label), 0.5),
                highlighted(matcher, label),
                partial(app.open_post, post.id),
                text=label,
                help=Content(f"#{post.id} · {post.stage.label} · {when}"),
            )
