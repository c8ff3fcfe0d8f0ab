"""Shared fixtures: a team on a real SQLite file in tmp_path, with a frozen clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

import store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass
class Team:
    """A seeded team: who is who, and the brands and channels they work on."""

    path: str
    now: datetime
    brand: int
    other_brand: int
    instagram: int
    x: int
    bluesky: int

    def actor(self, login: str) -> store.Actor:
        return store.actor_for(login)

    def detail(self, post_id: int) -> store.PostDetail:
        return store.post_detail(self.actor("root"), post_id)

    def draft(
        self, title: str = "Winter blend", *, by: str = "ed", at=None, **fields
    ) -> store.PostSummary:
        """A draft by `by`, written at `at` (default: now); times in the past need an earlier `at`."""
        fields.setdefault("caption", "Our winter blend is here. #coffee")
        fields.setdefault("channel_ids", [self.instagram, self.x])
        fields.setdefault("publish_at", self.now + timedelta(days=5))
        return store.create_post(self.actor(by), self.brand, title, at or self.now, **fields)

    def in_review(self, title: str = "Winter blend", *, at=None, **fields) -> store.PostSummary:
        post = self.draft(title, at=at, **fields)
        return store.move(self.actor("ed"), post.id, "in_review", at or self.now)

    def published(self, post_id: int, at=None) -> None:
        """Every channel of a scheduled post delivered at `at` (history, as the demo writes it)."""
        from store.publishing.deliveries import record_history

        record_history(self.actor("ed"), post_id, at or self.now)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "team.db"
    yield path
    store.close_database()


@pytest.fixture
def team(db_path) -> Team:
    """admin root; manager mgr; editors ed, ed2; reviewers rev, rev2; client cli (Acme only)."""
    store.open_database(db_path, create=True)
    store.init_database("root", NOW, "Europe/London")
    root = store.actor_for("root")
    acme = store.create_brand(root, "Acme Coffee", NOW)
    other = store.create_brand(root, "Birch Outdoor", NOW)
    for login, role in [
        ("mgr", "manager"),
        ("ed", "editor"),
        ("ed2", "editor"),
        ("rev", "reviewer"),
        ("rev2", "reviewer"),
    ]:
        store.add_user(root, login, role, NOW, timezone="Europe/London", force=True)
    store.add_user(root, "cli", "client", NOW, brand_slugs=("acme-coffee",), force=True)
    ig = store.add_channel(root, acme.id, "instagram", "@acme", NOW, posts_per_week=3)
    x = store.add_channel(root, acme.id, "x", "@acmecoffee", NOW)
    bsky = store.add_channel(root, acme.id, "bluesky", "acme.bsky.social", NOW)
    store.add_channel(root, other.id, "linkedin", "birch-outdoor", NOW)
    return Team(str(db_path), NOW, acme.id, other.id, ig.id, x.id, bsky.id)
