"""The command palette (ctrl+p): go to a post by title, new post, switch screen or brand."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

import store

from .session import in_thread


class PostroomCommands(Provider):
    """Everything Postroom can jump to from the palette."""

    def _fixed(self):
        app = self.app
        if app.actor.role is not None and store.allowed(app.actor.role, store.Action.POST_CREATE):
            yield "New post", "Open the editor on a new post", app.new_post
        if "calendar" in app.MODES:
            yield (
                "Go to Calendar",
                "Show the content calendar (1)",
                partial(app.action_show_mode, "calendar"),
            )
        if "board" in app.MODES:
            yield "Go to Board", "Posts by stage (2)", partial(app.action_show_mode, "board")
        yield "Go to Approvals", "The review queue (3)", partial(app.action_show_mode, "approvals")
        yield "All brands", "Show every brand you can see", partial(setattr, app, "brand_id", None)
        for brand in app.brands:
            yield (
                f"Brand: {brand.name}",
                f"Show only {brand.name}",
                partial(setattr, app, "brand_id", brand.id),
            )

    async def discover(self) -> Hits:
        for title, help_text, callback in self._fixed():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._fixed():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        if len(query.strip()) < 2:
            return
        app = self.app
        posts = await asyncio.to_thread(
            in_thread,
            lambda: store.search_posts(app.session.actor(), query, brand_id=app.brand_id, limit=15),
        )
        for post in posts:
            label = f"Post: {post.title}"
            when = post.publish_at.strftime("%d %b") if post.publish_at else "unscheduled"
            yield Hit(
                max(matcher.match(label), 0.5),
                matcher.highlight(label),
                partial(app.open_post, post.id),
                help=f"#{post.id} · {post.stage.label} · {when}",
            )
