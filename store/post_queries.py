"""Reading posts back: one post in full, lists by publish time (keyset pages), title search."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from peewee import JOIN

from . import access
from .assets import info_of, media_of
from .db import reading
from .db.models import (
    Asset,
    Brand,
    Campaign,
    Channel,
    Comment,
    Pillar,
    Post,
    PostTag,
    Review,
    Revision,
    StageEvent,
    Tag,
    User,
    Variant,
)
from .domain import (
    Actor,
    CommentInfo,
    Decision,
    DeliveryState,
    Platform,
    PostDetail,
    PostSummary,
    ReviewInfo,
    RevisionInfo,
    Role,
    Stage,
    StageEventInfo,
    Tier,
    VariantInfo,
)
from .errors import NotFound
from .policy import approval_status
from .text import clean

#: The longest title a post can have (posts.MAX_TITLE; posts imports this module).
_LONGEST_TITLE = 200


def post_detail(actor: Actor, post_id: int) -> PostDetail:
    """Everything about one post, in one read transaction."""
    with reading():
        post = (
            Post.select(Post, Brand, Pillar, Campaign)
            .join(Brand)
            .switch(Post)
            .join(Pillar, JOIN.LEFT_OUTER)
            .switch(Post)
            .join(Campaign, JOIN.LEFT_OUTER)
            .where(Post.id == post_id)
            .first()
        )
        if post is None or not access.may_see(actor, post.brand_id):
            access.member(actor)
            raise NotFound(f"no post #{post_id}")
        users = _logins()
        variants = tuple(
            VariantInfo(
                v.channel_id,
                Platform(v.channel.platform),
                v.channel.handle,
                v.caption_override,
                DeliveryState(v.state),
                v.remote_url,
                v.attempts,
                v.last_error,
                v.id,
                v.due_at if v.state == DeliveryState.RETRYING else None,
            )
            for v in Variant.select(Variant, Channel)
            .join(Channel)
            .where(Variant.post == post)
            .order_by(Channel.platform, Channel.handle)
        )
        reviews = tuple(
            ReviewInfo(
                users[r.reviewer_id][0],
                users[r.reviewer_id][1],
                Decision(r.decision),
                r.revision,
                r.note,
                r.created_at,
            )
            for r in Review.select().where(Review.post == post).order_by(Review.id)
        )
        comments = tuple(
            CommentInfo(users[c.author_id][0], c.revision, c.body, c.created_at)
            for c in Comment.select().where(Comment.post == post).order_by(Comment.id)
        )
        history = tuple(
            StageEventInfo(
                Stage(e.from_stage) if e.from_stage else None,
                Stage(e.to_stage),
                users[e.actor_id][0],
                e.at,
                e.note,
            )
            for e in StageEvent.select().where(StageEvent.post == post).order_by(StageEvent.id)
        )
        revisions = _revisions(post, users)
        tags = tuple(
            t.name
            for t in Tag.select(Tag.name)
            .join(PostTag)
            .where(PostTag.post == post)
            .order_by(Tag.name)
        )
        return PostDetail(
            summary=_summary(post, users, tuple(v.platform for v in variants)),
            brand_name=post.brand.name,
            brief=post.brief,
            caption=post.caption,
            pillar=post.pillar.name if post.pillar_id else None,
            campaign=post.campaign.name if post.campaign_id else None,
            tags=tags,
            updated_at=post.updated_at,
            updated_by=users[post.updated_by_id][0],
            variants=variants,
            approval=approval_status(post, post.brand),
            reviews=reviews,
            comments=comments,
            stage_history=history,
            revisions=revisions,
            pillar_id=post.pillar_id,
            campaign_id=post.campaign_id,
            media=tuple(media_of(post)),
        )


def _revisions(post: Post, users: dict) -> tuple[RevisionInfo, ...]:
    rows = list(Revision.select().where(Revision.post == post).order_by(Revision.number))
    decoded = [(r, json.loads(r.overrides or "{}"), json.loads(r.media or "[]")) for r in rows]
    channel_ids = {int(c) for _, overrides, _ in decoded for c in overrides}
    asset_ids = {a for _, _, media in decoded for a in media}
    channels = {
        c.id: f"{c.platform} {c.handle}"
        for c in Channel.select().where(Channel.id.in_(channel_ids or [0]))
    }
    assets = {a.id: info_of(a).name for a in Asset.select().where(Asset.id.in_(asset_ids or [0]))}
    return tuple(
        RevisionInfo(
            r.number,
            r.title,
            r.brief,
            r.caption,
            users[r.author_id][0],
            r.created_at,
            overrides=tuple(
                sorted(
                    (channels.get(int(c), f"channel #{c}"), clean(text, lines=True))
                    for c, text in overrides.items()
                )
            ),
            media=tuple(assets.get(a, f"asset #{a}") for a in media),
        )
        for r, overrides, media in decoded
    )


def list_posts(
    actor: Actor,
    *,
    brand_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    stages: Iterable[Stage] = (),
    after: tuple[datetime, int] | None = None,
    limit: int = 500,
) -> list[PostSummary]:
    """Posts by publish time (unscheduled last), filtered, one keyset page at a time.

    `after` is the (publish_at, id) of the last post of the previous page.
    """
    with reading():
        query = access.scoped(Post.select(), actor, Post.brand, brand_id)
        if start is not None:
            query = query.where(Post.publish_at >= start)
        if end is not None:
            query = query.where(Post.publish_at < end)
        stages = [Stage(s) for s in stages]
        if stages:
            query = query.where(Post.stage.in_(stages))
        if after is not None:
            at, last_id = after
            query = query.where(
                (Post.publish_at > at) | ((Post.publish_at == at) & (Post.id > last_id))
            )
        posts = list(query.order_by(Post.publish_at.asc(nulls="LAST"), Post.id).limit(limit))
        return summaries(posts)


def search_posts(
    actor: Actor, text: str, *, brand_id: int | None = None, limit: int = 20
) -> list[PostSummary]:
    """Posts whose title contains `text` (any case), most recently updated first; `#183` (or
    `183`) also finds post 183 itself, first."""
    text = clean(text).strip()
    with reading():
        query = access.scoped(Post.select(), actor, Post.brand, brand_id)
        found: list[Post] = []
        number = text.removeprefix("#")
        if number.isascii() and number.isdigit() and len(number) < 19:
            found = list(query.where(Post.id == int(number)))
        if len(text) > _LONGEST_TITLE:  # no title holds it (and SQLite refuses so long a LIKE)
            return summaries(found)
        others = (
            query.where(Post.title.contains(text) & (Post.id.not_in([p.id for p in found])))
            .order_by(Post.updated_at.desc(), Post.id.desc())
            .limit(limit - len(found))
        )
        return summaries(found + list(others))


def summaries(posts: list[Post]) -> list[PostSummary]:
    """Summaries of already loaded posts, with their platforms, in two queries."""
    platforms: dict[int, list[Platform]] = defaultdict(list)
    ids = [p.id for p in posts]
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        rows = (
            Variant.select(Variant.post, Channel.platform)
            .join(Channel)
            .where(Variant.post.in_(chunk))
            .order_by(Variant.post, Channel.platform)
            .tuples()
        )
        for post_id, platform in rows:
            platforms[post_id].append(Platform(platform))
    users = _logins()
    return [_summary(p, users, tuple(platforms[p.id])) for p in posts]


def summary_of(post: Post) -> PostSummary:
    """The summary of a post row just written (one query, for its platforms)."""
    return summaries([post])[0]


def _summary(post: Post, users: dict, platforms: tuple[Platform, ...]) -> PostSummary:
    return PostSummary(
        id=post.id,
        brand_id=post.brand_id,
        title=post.title,
        stage=Stage(post.stage),
        tier=Tier(post.tier),
        owner_login=users[post.owner_id][0],
        publish_at=post.publish_at,
        review_due=post.review_due,
        platforms=platforms,
        version=post.version,
        revision=post.revision,
    )


def _logins() -> dict[int, tuple[str, Role]]:
    return {u.id: (u.login, Role(u.role)) for u in User.select(User.id, User.login, User.role)}
