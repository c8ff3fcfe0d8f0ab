"""Posts: creating and editing content, with revisions and lost-update protection."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from peewee import fn

from . import audit
from .assets import MAX_MEDIA_PER_POST
from .db import writing
from .db.models import (
    Asset,
    Brand,
    Campaign,
    Channel,
    Comment,
    Pillar,
    Post,
    PostAsset,
    PostTag,
    Revision,
    StageEvent,
    Tag,
    User,
    Variant,
)
from .domain import (
    Actor,
    CommentInfo,
    DeliveryState,
    PostSummary,
    Role,
    Stage,
    Tier,
)
from .errors import NotFound, PermissionDenied, ValidationError
from .permissions import Action, may_own_posts, require
from .policy import approval_status
from .post_queries import summary_of
from .publishing.tid import new_tid
from .text import clean
from .when import describe
from .workflow import APPROVED_STAGES, FINAL_STAGES, load_post, record_stage, save_post

MAX_TITLE = 200
MAX_CAPTION = 100_000

#: Fields whose change makes a new revision (and so lapses approvals given on the old one).
CONTENT_FIELDS = ("title", "brief", "caption", "channel_ids", "overrides", "media_ids")
EDITABLE_FIELDS = (
    *CONTENT_FIELDS,
    "pillar_id",
    "campaign_id",
    "tags",
    "tier",
    "review_due",
    "publish_at",
    "owner_login",
)


def create_post(
    actor: Actor,
    brand_id: int,
    title: str,
    now: datetime,
    *,
    stage: Stage = Stage.DRAFT,
    **fields,
) -> PostSummary:
    """Create a post as an idea or a draft, with its first revision."""
    require(actor, Action.POST_CREATE, brand_id)
    stage = Stage(stage)
    if stage not in (Stage.IDEA, Stage.DRAFT):
        raise ValidationError("stage", "a new post starts as an idea or a draft")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a post field")
    with writing():
        brand = Brand.get_or_none(Brand.id == brand_id)
        if brand is None:
            raise NotFound(f"no brand #{brand_id}")
        owner = _owner(fields.pop("owner_login", None) or actor.login)
        post = Post(
            brand=brand,
            title=_title(title),
            owner=owner,
            stage=stage,
            created_at=now,
            updated_at=now,
            updated_by=actor.user.id,
        )
        _apply_plain_fields(post, fields, now, actor)
        post.save()
        _apply_channels(post, fields.get("channel_ids", ()), fields.get("overrides") or {})
        _apply_tags(post, fields.get("tags", ()))
        _apply_media(post, fields.get("media_ids", ()))
        _snapshot(post, actor, now)
        StageEvent.create(post=post, from_stage=None, to_stage=stage, actor=actor.user.id, at=now)
        audit.record(
            actor.login,
            "post.create",
            "post",
            post.id,
            {"title": post.title, "stage": stage.value, "revision": 1},
            now,
        )
    return summary_of(post)


def edit_post(
    actor: Actor, post_id: int, now: datetime, *, expected_version: int | None = None, **changes
) -> PostSummary:
    """Change a post. New content makes a new revision; on an approved post it goes back to review."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a post field")
    with writing():
        post = load_post(post_id)
        require(actor, Action.POST_EDIT, post.brand_id)
        refuse_final(post)
        before = _content_of(post)
        if "title" in changes:
            post.title = _title(changes["title"])
        if "owner_login" in changes:
            post.owner = _owner(changes.pop("owner_login"))
        _apply_plain_fields(post, changes, now, actor)
        if "channel_ids" in changes or "overrides" in changes:
            channel_ids = changes.get("channel_ids", before["channel_ids"])
            kept = {c: o for c, o in before["overrides"].items() if c in channel_ids}
            overrides = changes.get("overrides", kept)
            _apply_channels(post, channel_ids, overrides or {})
        if "tags" in changes:
            _apply_tags(post, changes["tags"])
        if "media_ids" in changes:
            _apply_media(post, changes["media_ids"])
        after = _content_of(post)
        changed = sorted(k for k in CONTENT_FIELDS if before[k] != after[k])
        if changed:
            post.revision += 1
            _snapshot(post, actor, now)
        if Stage(post.stage) in APPROVED_STAGES and (
            changed or not approval_status(post).satisfied
        ):
            reason = "content changed after approval" if changed else "approval policy not met"
            record_stage(post, Stage.IN_REVIEW, actor, now, reason)
        save_post(post, expected_version, actor, now)
        audit.record(
            actor.login,
            "post.edit",
            "post",
            post.id,
            {"fields": sorted(changes), "revision": post.revision},
            now,
        )
    return summary_of(post)


def add_comment(actor: Actor, post_id: int, body: str, now: datetime) -> CommentInfo:
    """Leave feedback on the post's current revision."""
    body = clean(body, lines=True).strip()
    if not body:
        raise ValidationError("comment", "write something first")
    if len(body) > MAX_CAPTION:
        raise ValidationError("comment", f"{len(body)} characters; the most is {MAX_CAPTION}")
    with writing():
        post = load_post(post_id)
        require(actor, Action.POST_COMMENT, post.brand_id)
        comment = Comment.create(
            post=post, revision=post.revision, author=actor.user.id, body=body, created_at=now
        )
        audit.record(actor.login, "post.comment", "post", post.id, {"comment": comment.id}, now)
    return CommentInfo(actor.login, post.revision, body, now)


def edit_refusal(actor: Actor, post: PostSummary) -> str | None:
    """Why `actor` may not edit `post`, said before they start typing; None when they may."""
    try:
        require(actor, Action.POST_EDIT, post.brand_id)
    except PermissionDenied as refused:
        return str(refused)
    if post.stage in FINAL_STAGES:
        return f"'{post.title}' is published and can no longer be edited"
    return None


def refuse_final(post: Post) -> None:
    """Refuse to change a post that is out of the team's hands (published)."""
    if Stage(post.stage) in FINAL_STAGES:
        raise ValidationError("stage", f"'{post.title}' is published and can no longer be edited")


def _title(title: str) -> str:
    title = clean(title).strip()
    if not title:
        raise ValidationError("title", "a post needs a title")
    if len(title) > MAX_TITLE:
        raise ValidationError("title", f"{len(title)} characters; keep it under {MAX_TITLE}")
    return title


def _owner(login: str) -> User:
    owner = User.get_or_none((User.login == login) & (User.active == 1))
    if owner is None:
        raise ValidationError("owner", f"no user {login!r}")
    if not may_own_posts(Role(owner.role)):
        raise ValidationError("owner", f"{login} is a {owner.role} and cannot own posts")
    return owner


def _apply_plain_fields(post: Post, fields: dict, now: datetime, actor: Actor) -> None:
    for name in ("brief", "caption"):
        if name in fields:
            text = clean(fields[name], lines=True)
            if len(text) > MAX_CAPTION:
                raise ValidationError(name, f"{len(text)} characters; the most is {MAX_CAPTION}")
            setattr(post, name, text)
    if "tier" in fields:
        try:
            post.tier = Tier(fields["tier"])
        except ValueError:
            raise ValidationError(
                "tier", f"{fields['tier']!r} is not routine or high_stakes"
            ) from None
    for name in ("review_due", "publish_at"):
        if name in fields:
            value = fields[name]
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise ValidationError(name, "needs a date and time with a timezone")
            if value is not None and value <= now:
                zone = actor.user.timezone if actor.user else "UTC"
                raise ValidationError(
                    name, f"{describe(value, zone, now)} has passed; choose a later time"
                )
            setattr(post, name, value.astimezone(UTC) if value else None)
    if "pillar_id" in fields:
        post.pillar = _in_brand(Pillar, fields["pillar_id"], post.brand_id, "pillar")
    if "campaign_id" in fields:
        post.campaign = _in_brand(Campaign, fields["campaign_id"], post.brand_id, "campaign")


def _in_brand(model, row_id: int | None, brand_id: int, field: str):
    if row_id is None:
        return None
    row = model.get_or_none((model.id == row_id) & (model.brand == brand_id))
    if row is None:
        raise ValidationError(field, f"no {field} #{row_id} in this brand")
    return row


def _apply_channels(post: Post, channel_ids: Iterable[int], overrides: dict) -> None:
    wanted = list(dict.fromkeys(int(c) for c in channel_ids))
    channels = {
        c.id: c
        for c in Channel.select().where((Channel.id.in_(wanted)) & (Channel.brand == post.brand_id))
    }
    missing = [c for c in wanted if c not in channels]
    if missing:
        raise ValidationError("channels", f"channel #{missing[0]} is not a channel of this brand")
    stray = set(int(k) for k in overrides) - set(wanted)
    if stray:
        raise ValidationError(
            "overrides", f"channel #{min(stray)} is not one of the post's channels"
        )
    existing = {v.channel_id: v for v in Variant.select().where(Variant.post == post)}
    for channel_id, variant in existing.items():
        if channel_id not in channels:
            if variant.state == DeliveryState.SENT:
                raise PermissionDenied(
                    "a channel the post was already delivered to cannot be removed"
                )
            variant.delete_instance()
    for channel_id in wanted:
        override = clean(overrides.get(channel_id, overrides.get(str(channel_id))), lines=True)
        override = override if override.strip() else None
        variant = existing.get(channel_id)
        if variant is None:
            Variant.create(
                post=post,
                channel=channel_id,
                caption_override=override,
                idempotency_key=uuid.uuid4().hex,
                record_key=new_tid(),
            )
        elif variant.caption_override != override:
            variant.caption_override = override
            variant.save()


def _apply_media(post: Post, asset_ids: Iterable[int]) -> None:
    wanted = list(dict.fromkeys(int(a) for a in asset_ids))
    if len(wanted) > MAX_MEDIA_PER_POST:
        raise ValidationError("media", f"{len(wanted)} files; the most a post can carry is 35")
    found = {
        a.id
        for a in Asset.select(Asset.id).where(Asset.id.in_(wanted) & (Asset.brand == post.brand_id))
    }
    missing = [a for a in wanted if a not in found]
    if missing:
        raise ValidationError("media", f"asset #{missing[0]} is not in this brand's library")
    PostAsset.delete().where(PostAsset.post == post).execute()
    for position, asset_id in enumerate(wanted):
        PostAsset.create(post=post, asset=asset_id, position=position)


def _apply_tags(post: Post, names: Iterable[str]) -> None:
    PostTag.delete().where(PostTag.post == post).execute()
    cleaned = (clean(n).strip().lstrip("#") for n in names)
    for name in dict.fromkeys(n for n in cleaned if n):
        if len(name) > 50:
            raise ValidationError("tags", f"tag {name[:20]!r}… is over 50 characters")
        tag, _ = Tag.get_or_create(brand=post.brand_id, name=name)
        PostTag.create(post=post, tag=tag)


def _content_of(post: Post) -> dict:
    variants = Variant.select(Variant.channel, Variant.caption_override).where(Variant.post == post)
    pairs = sorted((v.channel_id, v.caption_override) for v in variants)
    return {
        "title": post.title,
        "brief": post.brief,
        "caption": post.caption,
        "channel_ids": [c for c, _ in pairs],
        "overrides": {c: o for c, o in pairs if o},
        "media_ids": [
            a.asset_id
            for a in PostAsset.select(PostAsset.asset)
            .where(PostAsset.post == post)
            .order_by(PostAsset.position)
        ],
    }


def _snapshot(post: Post, actor: Actor, now: datetime) -> None:
    content = _content_of(post)
    Revision.create(
        post=post,
        number=post.revision,
        title=post.title,
        brief=post.brief,
        caption=post.caption,
        overrides=json.dumps({str(k): v for k, v in content["overrides"].items()}, sort_keys=True),
        media=json.dumps(content["media_ids"]),
        author=actor.user.id,
        created_at=now,
    )


def post_count() -> int:
    """How many posts there are (for reports and tests)."""
    return Post.select(fn.count(Post.id)).scalar()
