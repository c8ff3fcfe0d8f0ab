"""Peewee models for the whole data model; rules live in the service modules, not here."""

from __future__ import annotations

from peewee import (
    SQL,
    CharField,
    CompositeKey,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from .connection import database
from .fields import DayField, Flag, Line, Prose, UTCDateTimeField


class BaseModel(Model):
    """Every table lives in the one database `open_database` connected."""

    class Meta:
        database = database
        legacy_table_names = False


class User(BaseModel):
    """A Unix account known to the team, with its role."""

    login = Line(unique=True)
    name = Line(default="")
    role = CharField()
    timezone = Line(default="UTC")
    active = Flag(default=True)
    created_at = UTCDateTimeField()


class Brand(BaseModel):
    """A workspace for one client or business, with its approval policy."""

    name = Line(unique=True)
    slug = Line(unique=True)
    routine_approvals = IntegerField(default=1)
    high_stakes_approvals = IntegerField(default=2)
    high_stakes_needs_senior = Flag(default=True)
    version = IntegerField(default=1)
    #: A delivery whose time passed by more than this before a scheduler saw it is not sent late.
    late_window_minutes = IntegerField(default=120)  # schema 5
    # Schema 6: the inbox's first-response target, in business hours (Mon–Fri 09:00–17:00 in the
    # brand's time zone).
    sla_hours = IntegerField(default=4)
    timezone = Line(default="UTC")


class UserBrand(BaseModel):
    """A brand a client user is limited to."""

    user = ForeignKeyField(User, on_delete="CASCADE")
    brand = ForeignKeyField(Brand, on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "brand"), True),)


class Channel(BaseModel):
    """An account on a platform, with how posts reach it and how often the team means to post."""

    brand = ForeignKeyField(Brand, backref="channels")
    platform = CharField()
    handle = Line()
    name = Line(default="")
    connector = CharField(default="manual")
    posts_per_week = IntegerField(null=True)
    active = Flag(default=True)
    # Schema 5: where the connector posts, and how. Credentials are never here (see credentials.py).
    server = Line(null=True)
    visibility = CharField(default="public")
    language = CharField(null=True)
    # Schema 6: how often the scheduler pulls the channel's inbox, and where the last pull stopped
    # (JSON: one cursor per feed, e.g. Mastodon since_ids, Bluesky's cursor).
    inbox_every_minutes = IntegerField(default=5)
    inbox_cursor = TextField(null=True)
    inbox_synced_at = UTCDateTimeField(null=True)
    # Schema 12: counters of its sent posts are read hourly for this many days, then daily until
    # the second (see store.metrics.counters.schedule); 0 and 0 reads none.
    counters_hourly_days = IntegerField(default=2)
    counters_daily_days = IntegerField(default=30)

    class Meta:
        indexes = ((("brand", "platform", "handle"), True),)


class Campaign(BaseModel):
    """A push with a start and an end that posts belong to."""

    brand = ForeignKeyField(Brand)
    name = Line()
    starts_on = DayField(null=True)
    ends_on = DayField(null=True)

    class Meta:
        indexes = ((("brand", "name"), True),)


class Pillar(BaseModel):
    """A content theme the team balances its calendar across."""

    brand = ForeignKeyField(Brand)
    name = Line()

    class Meta:
        indexes = ((("brand", "name"), True),)


class Tag(BaseModel):
    """A free label on posts."""

    brand = ForeignKeyField(Brand)
    name = Line()

    class Meta:
        indexes = ((("brand", "name"), True),)


class Asset(BaseModel):
    """A media file reference with alt text."""

    brand = ForeignKeyField(Brand)
    uri = Line()
    kind = CharField(default="image")
    alt_text = Prose(default="")
    tags = Line(default="")
    created_at = UTCDateTimeField()


class Post(BaseModel):
    """The content item that moves through the workflow.

    `version` bumps on every write (compare-and-swap); `revision` bumps only when the
    content changes, and approvals count for the revision they were given on.
    """

    brand = ForeignKeyField(Brand, backref="posts")
    title = Line()
    brief = Prose(default="")
    caption = Prose(default="")
    pillar = ForeignKeyField(Pillar, null=True)
    campaign = ForeignKeyField(Campaign, null=True)
    owner = ForeignKeyField(User)
    stage = CharField()
    tier = CharField(default="routine")
    review_due = UTCDateTimeField(null=True)
    publish_at = UTCDateTimeField(null=True)
    version = IntegerField(default=1)
    revision = IntegerField(default=1)
    created_at = UTCDateTimeField()
    updated_at = UTCDateTimeField()
    updated_by = ForeignKeyField(User)

    class Meta:
        indexes = (
            (("publish_at", "id"), False),
            (("brand", "publish_at"), False),
            (("stage", "review_due"), False),
            (("stage", "publish_at"), False),  # schema 3
            (("brand", "stage", "publish_at"), False),  # schema 3
            (("brand", "stage"), False),
            (("owner", "stage"), False),
        )


class PostTag(BaseModel):
    """A tag on a post."""

    post = ForeignKeyField(Post, on_delete="CASCADE")
    tag = ForeignKeyField(Tag, on_delete="CASCADE")

    class Meta:
        indexes = ((("post", "tag"), True),)


class PostAsset(BaseModel):
    """A media item attached to a post, in order."""

    post = ForeignKeyField(Post, on_delete="CASCADE")
    asset = ForeignKeyField(Asset)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("post", "position"), False),)


class Variant(BaseModel):
    """A post on one channel: its caption there, and the delivery of it (lease, attempts, result)."""

    post = ForeignKeyField(Post, backref="variants", on_delete="CASCADE")
    channel = ForeignKeyField(Channel)
    caption_override = Prose(null=True)
    state = CharField(default="pending")
    remote_id = Line(null=True)
    remote_url = Line(null=True)
    attempts = IntegerField(default=0)
    lease_owner = CharField(null=True)
    lease_until = UTCDateTimeField(null=True)
    idempotency_key = CharField(unique=True)
    last_error = Prose(null=True)
    sent_at = UTCDateTimeField(null=True)
    # Schema 5: the Bluesky record key, fixed when the delivery is made; and the moment a scheduler
    # next looks at it (publish time, next try, or lease end; NULL when nothing is due).
    record_key = CharField(null=True)
    due_at = UTCDateTimeField(null=True, index=True)

    class Meta:
        # Schema 6: an inbox reply finds the delivery it answers by its remote id.
        indexes = (
            (("post", "channel"), True),
            (("channel", "remote_id"), False),
            # Deliveries sent in a period, per channel or all (schema 9).
            (("sent_at", "channel"), False),
            (("channel", "sent_at"), False),
        )


class SchedulerBeat(BaseModel):
    """A scheduler process's heartbeat (schema 5): the header warns when none beats while posts
    are due."""

    owner = CharField(unique=True)
    login = CharField()
    host = CharField()
    pid = IntegerField()
    started_at = UTCDateTimeField()
    beat_at = UTCDateTimeField()
    stopped_at = UTCDateTimeField(null=True)


class Revision(BaseModel):
    """An immutable snapshot of a post's content at one revision number."""

    post = ForeignKeyField(Post, on_delete="CASCADE")
    number = IntegerField()
    title = Line()
    brief = Prose(default="")
    caption = Prose(default="")
    overrides = TextField(default="{}")
    media = TextField(default="[]")  # asset ids in order, JSON (schema 2)
    author = ForeignKeyField(User)
    created_at = UTCDateTimeField()

    class Meta:
        indexes = ((("post", "number"), True),)


class Comment(BaseModel):
    """Feedback on a post, pinned to the revision it was written about."""

    post = ForeignKeyField(Post, on_delete="CASCADE")
    revision = IntegerField()
    author = ForeignKeyField(User)
    body = Prose()
    created_at = UTCDateTimeField()

    class Meta:
        indexes = ((("post", "created_at"), False),)


class Review(BaseModel):
    """A decision on one revision of a post."""

    post = ForeignKeyField(Post, on_delete="CASCADE")
    revision = IntegerField()
    reviewer = ForeignKeyField(User)
    decision = CharField()
    note = Prose(default="")
    created_at = UTCDateTimeField()

    class Meta:
        indexes = ((("post", "revision"), False), (("reviewer", "created_at"), False))


class StageEvent(BaseModel):
    """One transition of a post between stages; workflow metrics are computed from these."""

    post = ForeignKeyField(Post, on_delete="CASCADE")
    from_stage = CharField(null=True)
    to_stage = CharField()
    actor = ForeignKeyField(User)
    at = UTCDateTimeField()
    note = Prose(default="")

    class Meta:
        # ("at", "post"): the events of a period, for the workflow figures (schema 9).
        indexes = ((("post", "at"), False), (("to_stage", "at"), False), (("at", "post"), False))


class CalendarNote(BaseModel):
    """A milestone or event over a range of days (launch, holiday, campaign start)."""

    brand = ForeignKeyField(Brand, null=True)
    title = Line()
    starts_on = DayField()
    ends_on = DayField()
    kind = CharField(default="milestone")
    created_by = ForeignKeyField(User)
    created_at = UTCDateTimeField()

    class Meta:
        indexes = ((("starts_on", "ends_on"), False),)


class InboxMessage(BaseModel):
    """A comment, mention or DM that reached one of the brand's channels.

    The queue lists thread heads: a later message from the same person in the same thread is
    folded into the head (`head`), which goes back to new. `last_at` is the head's latest activity
    (the queue's order); `sla_due_at` is when a first response is due (NULL once answered)."""

    brand = ForeignKeyField(Brand)
    channel = ForeignKeyField(Channel)
    variant = ForeignKeyField(Variant, null=True)
    kind = CharField()
    author_handle = Line()
    body = Prose()
    received_at = UTCDateTimeField()
    status = CharField(default="new")
    assignee = ForeignKeyField(User, null=True)
    remote_id = Line(null=True)
    # Schema 6.
    head = ForeignKeyField("self", null=True, on_delete="CASCADE", backref="follow_ups")
    thread_key = Line(null=True)
    in_reply_to = Line(null=True)
    remote_url = Line(null=True)
    author_name = Line(default="")
    last_at = UTCDateTimeField(null=True)
    sla_due_at = UTCDateTimeField(null=True)
    priority = IntegerField(default=0)
    labels = Line(default="")
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("channel", "remote_id"), True),
            (("status", "last_at", "id"), False),
            (("brand", "status", "last_at", "id"), False),
            (("assignee", "status", "last_at", "id"), False),
            (("last_at", "id"), False),
            (("status", "sla_due_at"), False),
            (("channel", "thread_key", "author_handle"), False),
            (("brand", "author_handle", "received_at"), False),
            # The overdue section of a filtered queue (schema 8): mine, a brand, a channel.
            (("assignee", "status", "sla_due_at", "id"), False),
            (("brand", "status", "sla_due_at", "id"), False),
            (("channel", "status", "sla_due_at", "id"), False),
            # Messages received in a period, for the first-response figures (schema 9).
            (("received_at", "brand"), False),
        )


class InboxLabel(BaseModel):
    """A label on an inbox message (schema 6): typed by a person or given by a brand's rule."""

    message = ForeignKeyField(InboxMessage, on_delete="CASCADE")
    label = Line()
    automatic = Flag(default=False)

    class Meta:
        indexes = ((("message", "label"), True), (("label", "message"), False))


class InboxNote(BaseModel):
    """An internal note on an inbox message: seen by the team, never sent (schema 6)."""

    message = ForeignKeyField(InboxMessage, on_delete="CASCADE")
    author = ForeignKeyField(User)
    body = Prose()
    created_at = UTCDateTimeField()

    class Meta:
        indexes = ((("message", "created_at"), False),)


class LabelRule(BaseModel):
    """A rule that labels incoming messages (schema 6), kept as data per brand (brand NULL: every
    brand). `match` is "question" (the body ends with ?) or "keywords" (any of `words`)."""

    brand = ForeignKeyField(Brand, null=True, on_delete="CASCADE")
    label = Line()
    match = CharField(default="keywords")
    words = Line(default="")


class Presence(BaseModel):
    """Someone has a reply open on a message (schema 6); a row whose heartbeat is old is gone."""

    message = ForeignKeyField(InboxMessage, on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")
    opened_at = UTCDateTimeField()
    beat_at = UTCDateTimeField()

    class Meta:
        indexes = ((("message", "user"), True),)


class InboxTally(BaseModel):
    """How many thread heads each brand has per status and assignee (0: nobody), kept by
    triggers (schema 7) so the header never counts a million rows."""

    brand_id = IntegerField()
    status = CharField()
    assignee_id = IntegerField()
    n = IntegerField(default=0)

    class Meta:
        primary_key = CompositeKey("brand_id", "status", "assignee_id")


class Reply(BaseModel):
    """An answer the team sends to an inbox message, through the outbox (schema 6): the same
    exactly-once states as a delivery, its keys fixed when it is queued."""

    message = ForeignKeyField(InboxMessage, on_delete="CASCADE")
    author = ForeignKeyField(User)
    body = Prose()
    created_at = UTCDateTimeField()
    sent_at = UTCDateTimeField(null=True)
    state = CharField(default="pending")
    private = Flag(default=False)
    idempotency_key = CharField(unique=True)
    record_key = CharField(null=True)
    remote_id = Line(null=True)
    remote_url = Line(null=True)
    attempts = IntegerField(default=0)
    due_at = UTCDateTimeField(null=True, index=True)
    lease_owner = CharField(null=True)
    lease_until = UTCDateTimeField(null=True)
    last_error = Prose(null=True)

    class Meta:
        indexes = ((("message", "created_at"), False), (("remote_id",), False))


class SavedReply(BaseModel):
    """A canned answer the team reuses; `{name}` is filled from the author."""

    brand = ForeignKeyField(Brand, null=True)
    title = Line()
    body = Prose()


class MetricSnapshot(BaseModel):
    """Engagement counters of one delivered variant at one moment."""

    variant = ForeignKeyField(Variant, on_delete="CASCADE")
    taken_at = UTCDateTimeField()
    impressions = IntegerField(default=0)
    reach = IntegerField(default=0)
    likes = IntegerField(default=0)
    comments = IntegerField(default=0)
    shares = IntegerField(default=0)
    saves = IntegerField(default=0)
    clicks = IntegerField(default=0)
    video_views = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])  # schema 10

    class Meta:
        indexes = ((("variant", "taken_at"), False),)


class Performance(BaseModel):
    """Each sent delivery's latest counters, with what the content figures group and sort by,
    kept by the same transaction that writes its snapshots (schema 11): the content figures read
    one row per delivery instead of ranking 2M snapshots on every keypress. A counter its
    platform does not give is NULL, not 0."""

    variant = ForeignKeyField(Variant, primary_key=True, on_delete="CASCADE")
    post_id = IntegerField()
    brand_id = IntegerField()
    channel_id = IntegerField()
    sent_at = UTCDateTimeField()
    weekday = IntegerField()  # 0 = Monday, in the brand's timezone
    hour = IntegerField()  # 0-23, in the brand's timezone
    taken_at = UTCDateTimeField()
    impressions = IntegerField(null=True)
    reach = IntegerField(null=True)
    likes = IntegerField(null=True)
    comments = IntegerField(null=True)
    shares = IntegerField(null=True)
    saves = IntegerField(null=True)
    clicks = IntegerField(null=True)
    video_views = IntegerField(null=True)
    engagements = IntegerField()
    rate = FloatField(null=True)  # engagements / rate_base
    rate_base = CharField(null=True)  # "impressions", "reach" or NULL (no rate)
    cycle_hours = FloatField(null=True)  # first submitted -> first approved (NULL: not reviewed)
    revised = IntegerField()  # 1 when changes were requested before the first approval

    class Meta:
        indexes = ((("sent_at", "brand_id"), False), (("brand_id", "sent_at"), False))


class ChangeLog(BaseModel):
    """What changed, for the screens that show it: a kind, the thing's id and which of its fields
    (schema 4). Rows are pruned once old; ids only grow."""

    kind = CharField()
    entity_id = IntegerField(null=True)
    fields = CharField(default="")


class AuditEvent(BaseModel):
    """An append-only record of a change; each row hashes its content and the previous hash."""

    at = UTCDateTimeField()
    actor = CharField()
    action = CharField()
    entity = CharField()
    entity_id = IntegerField(null=True)
    detail = TextField(default="{}")
    prev_hash = CharField()
    hash = CharField()

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


ALL_MODELS = (
    User,
    Brand,
    UserBrand,
    Channel,
    Campaign,
    Pillar,
    Tag,
    Asset,
    Post,
    PostTag,
    PostAsset,
    Variant,
    Revision,
    Comment,
    Review,
    StageEvent,
    CalendarNote,
    InboxMessage,
    InboxLabel,
    InboxNote,
    LabelRule,
    Presence,
    InboxTally,
    Reply,
    SavedReply,
    MetricSnapshot,
    Performance,
    ChangeLog,
    AuditEvent,
    SchedulerBeat,
)
