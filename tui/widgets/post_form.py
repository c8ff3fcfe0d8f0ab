"""Every field of a post, each labelled: it shows a draft, empties itself and reads back what was
typed. Loading, checking and saving are the editor's."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Select, SelectionList, TextArea

import store
from store import BrandInfo, ChannelInfo

from ..drafts import TIER_OPTIONS, Draft, EditorChoices, review_hint
from .caption_checks import CaptionChecks
from .field_row import row
from .media_list import MediaList
from .override_editor import OverrideEditor
from .time_field import TimeField


def channel_label(channel: ChannelInfo) -> Text:
    return Text(f"{channel.platform.value} {channel.handle}")


class PostForm(Vertical):
    """The fields; `brands` are those a new post may be for (a Brand field when several)."""

    DEFAULT_CSS = "PostForm { height: auto; }"

    def __init__(self, brands: list[BrandInfo], *, id: str):
        super().__init__(id=id)
        self.brands = brands

    def compose(self) -> ComposeResult:
        with Horizontal(id="editor-columns"):
            with Vertical(id="editor-content"):
                yield row(
                    "Title", Input(compact=True, placeholder="for the team", id="editor-title")
                )
                yield Label(
                    Content.assemble("Caption  ", ("ctrl+e: $EDITOR", "dim")), classes="field"
                )
                yield TextArea(id="editor-caption", soft_wrap=True, compact=True)
                yield CaptionChecks(id="editor-checks")
                yield Label(
                    Content.assemble("Media  ", ("enter adds · x removes · shift+↑↓ order", "dim")),
                    classes="field",
                )
                yield MediaList(id="editor-media")
            with Vertical(id="editor-plan"):
                if self.brands:
                    brand = row(
                        "Brand",
                        Select(
                            [(Text(b.name), b.id) for b in self.brands],
                            value=self.brands[0].id,
                            allow_blank=False,
                            compact=True,
                            id="editor-brand",
                        ),
                    )
                    brand.id = "editor-brand-row"
                    yield brand
                yield Label(
                    Content.assemble("Channels  ", ("space toggles", "dim")), classes="field"
                )
                yield SelectionList(id="editor-channels", compact=True)
                yield row(
                    "Publish", TimeField("2026-12-01 09:30, fri 17:00, +2d", id="editor-publish")
                )
                yield row("Review due", TimeField(review_hint(), id="editor-review"))
                yield row(
                    "Tier",
                    Select(
                        TIER_OPTIONS,
                        value=store.Tier.ROUTINE.value,
                        allow_blank=False,
                        compact=True,
                        id="editor-tier",
                    ),
                )
                yield row("Owner", Select([], compact=True, prompt="(you)", id="editor-owner"))
                yield row("Pillar", Select([], compact=True, prompt="none", id="editor-pillar"))
                yield row("Campaign", Select([], compact=True, prompt="none", id="editor-campaign"))
                yield row(
                    "Tags", Input(compact=True, placeholder="e.g. seasonal ugc", id="editor-tags")
                )
        yield Label("Brief (creative direction)", classes="field")
        yield TextArea(id="editor-brief", soft_wrap=True, compact=True)
        yield OverrideEditor(id="editor-override")

    @property
    def brand(self) -> int | None:
        """The brand chosen in the Brand field (None when there is none)."""
        for select in self.query("#editor-brand").results(Select):
            return None if select.value is Select.NULL else select.value
        return None

    def empty(self, *, ask_brand: bool) -> None:
        """Every field blank (the Brand field shown when `ask_brand`), no field marked invalid,
        without telling anyone that something changed."""
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        with self.prevent(TextArea.Changed, SelectionList.SelectedChanged, Select.Changed):
            for brand_row in self.query("#editor-brand-row"):
                brand_row.display = ask_brand
                brands = self.query_one("#editor-brand", Select)
                brands.set_options([(Text(b.name), b.id) for b in self.brands])
                brands.value = self.brands[0].id
            self.query_one("#editor-channels", SelectionList).clear_options()
            self.query_one(OverrideEditor).load({})
            self.query_one(OverrideEditor).offer([])
            for selector in ("#editor-pillar", "#editor-campaign", "#editor-owner"):
                self._set_select(selector, [], None)
            self.query_one("#editor-tier", Select).value = store.Tier.ROUTINE.value
            for selector in ("#editor-title", "#editor-tags"):
                self.query_one(selector, Input).value = ""
            for selector in ("#editor-caption", "#editor-brief"):
                self.query_one(selector, TextArea).text = ""
            for selector in ("#editor-publish", "#editor-review"):
                self.query_one(selector, TimeField).value = ""
        self.query_one(MediaList).show([])
        self.query_one(CaptionChecks).show([])

    def fill(self, draft: Draft, choices: EditorChoices) -> None:
        """Show a draft, with the brand's options to choose from."""
        self.query_one("#editor-title", Input).value = draft.title
        self.query_one("#editor-brief", TextArea).text = draft.brief
        self.query_one("#editor-caption", TextArea).text = draft.caption
        channels = self.query_one("#editor-channels", SelectionList)
        channels.clear_options()
        channels.add_options(
            [(channel_label(c), c.id, c.id in draft.channel_ids) for c in choices.channels]
        )
        if choices.channels:
            channels.highlighted = 0  # so space ticks the first channel at once
        self.query_one(OverrideEditor).load(draft.overrides)
        self._set_select(
            "#editor-pillar", [(Text(n), i) for i, n in choices.pillars], draft.pillar_id
        )
        self._set_select(
            "#editor-campaign", [(Text(n), i) for i, n in choices.campaigns], draft.campaign_id
        )
        self._set_select(
            "#editor-owner", [(Text(o), o) for o in choices.owners], draft.owner or None
        )
        self.query_one("#editor-tier", Select).value = draft.tier
        self.query_one("#editor-tags", Input).value = draft.tags
        self.query_one("#editor-publish", TimeField).value = draft.publish_at
        self.query_one("#editor-review", TimeField).value = draft.review_due

    def _set_select(self, selector: str, options: list, value) -> None:
        select = self.query_one(selector, Select)
        select.set_options(options)
        select.value = value if value in {v for _, v in options} else Select.NULL

    def read(self) -> Draft:
        """The fields as a draft."""

        def chosen(selector):
            value = self.query_one(selector, Select).value
            return None if value is Select.NULL else value

        return Draft(
            title=self.query_one("#editor-title", Input).value,
            brief=self.query_one("#editor-brief", TextArea).text,
            caption=self.query_one("#editor-caption", TextArea).text,
            channel_ids=list(self.query_one("#editor-channels", SelectionList).selected),
            overrides=self.query_one(OverrideEditor).current(),
            pillar_id=chosen("#editor-pillar"),
            campaign_id=chosen("#editor-campaign"),
            owner=chosen("#editor-owner") or "",
            tier=chosen("#editor-tier") or store.Tier.ROUTINE.value,
            tags=self.query_one("#editor-tags", Input).value,
            publish_at=self.query_one("#editor-publish", TimeField).value,
            review_due=self.query_one("#editor-review", TimeField).value,
            media_ids=self.query_one(MediaList).ids,
        )

    def chosen_channels(self, choices: EditorChoices | None) -> list[ChannelInfo]:
        """The channels ticked, of those offered."""
        if choices is None:
            return []
        chosen = set(self.query_one("#editor-channels", SelectionList).selected)
        return [c for c in choices.channels if c.id in chosen]
