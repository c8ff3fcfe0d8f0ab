"""A Mastodon status as an inbox message: its HTML made plain text (paragraphs and line breaks
kept, tags dropped, entities read), its kind (DM, a reply to something, a mention) and thread."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser

from ..domain import InboxKind
from .model import Incoming


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "p":
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain(html: str) -> str:
    """The text a person reads in a status's HTML."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    lines = "".join(parser.parts).split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def when(stamp: str | None) -> datetime:
    if not stamp:
        return datetime.now(UTC).replace(microsecond=0)
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def incoming(status: dict) -> Incoming:
    """One status addressed to us."""
    account = status.get("account") or {}
    acct = account.get("acct") or account.get("username") or "?"
    private = status.get("visibility") == "direct"
    reply_to = status.get("in_reply_to_id")
    kind = InboxKind.DM if private else InboxKind.COMMENT if reply_to else InboxKind.MENTION
    return Incoming(
        remote_id=str(status["id"]),
        kind=kind,
        author_handle=f"@{acct}",
        author_name=account.get("display_name") or "",
        body=plain(status.get("content") or status.get("text") or ""),
        received_at=when(status.get("created_at")),
        in_reply_to=str(reply_to) if reply_to else None,
        thread=f"dm:@{acct}" if private else None,
        remote_url=status.get("url") or status.get("uri"),
    )
