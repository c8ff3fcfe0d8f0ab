"""Connectors: how a delivery reaches one kind of destination. One small protocol —

- `verify(creds)` says as whom the credentials act (`postroom channel test`);
- `prepare(job, creds)` does what must come before the post (server limits, media uploads) and
  raises `Refused` (nothing sent, a person must act) or `NotSent` (try again later);
- `publish(job, creds, media)` makes one attempt and says what it came to; an answer that does not
  tell whether the post exists is `AMBIGUOUS`;
- `look(job, creds)` says, before anything else on a later attempt, whether the post already
  exists (Bluesky: read the record at its key; None where the platform cannot be asked);
- `reconcile(job, creds, media)` settles an ambiguous attempt, or a taken-over one, by asking
  the platform (Bluesky: read the record; Mastodon: ask again under the same Idempotency-Key);
- `fetch_status(job, creds, remote_id)` reads a post's counters back (the metrics use it).
  Or `fetch_statuses(creds, remote_ids)` for many at once (Bluesky: getPosts, 25 a call).

Every HTTP call goes through httpx with its timeouts set.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # httpx (and the rich it pulls in) loads only when a connector runs
    import httpx

from ...domain import AssetInfo, DeliveryState, Platform
from ..deliveries import Outcome

D = DeliveryState
#: An attempt whose effect is unknown: the driver reconciles, then marks it unconfirmed.
AMBIGUOUS = D.SENDING


class Refused(Exception):
    """Something a person must fix before this delivery can go (nothing was sent)."""


class NotSent(Exception):
    """The request provably did not take effect; try again later."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Job:
    """Exactly what one delivery sends: the approved revision's caption and media for this
    channel, and the keys every attempt reuses."""

    delivery_id: int
    post_id: int
    title: str
    channel_id: int
    platform: Platform
    handle: str
    connector: str
    server: str | None
    visibility: str
    language: str | None
    caption: str
    media: tuple[AssetInfo, ...]
    publish_at: datetime | None
    idempotency_key: str
    record_key: str
    attempt: int
    credentials_key: str


class Connector(Protocol):
    kind: str

    def verify(self, creds: dict[str, str]) -> str: ...

    def prepare(self, job: Job, creds: dict[str, str]) -> list: ...

    def publish(self, job: Job, creds: dict[str, str], media: list) -> Outcome: ...

    def reconcile(self, job: Job, creds: dict[str, str], media: list) -> Outcome | None: ...

    def look(self, job: Job, creds: dict[str, str]) -> Outcome | None: ...


def client(timeout: float) -> httpx.Client:
    """An HTTP client with every timeout set (connect and pool short: failing to connect proves
    nothing was sent; a read that times out proves nothing either way)."""
    import httpx

    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(5.0, timeout), pool=min(5.0, timeout)),
        follow_redirects=False,
        headers={"User-Agent": "Postroom (+https://postroom.invalid)"},
    )


def transport_outcome(error: httpx.HTTPError, what: str) -> Outcome:
    """What a transport error says about a request: not sent (it never connected), or unknown."""
    import httpx

    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return Outcome(D.RETRYING, f"could not reach {what}: {_short(error)}")
    if isinstance(error, httpx.TimeoutException):
        return Outcome(AMBIGUOUS, f"no answer from {what} in time")
    return Outcome(AMBIGUOUS, f"the connection to {what} broke: {_short(error)}")


def response_outcome(response: httpx.Response, what: str) -> Outcome | None:
    """What a non-2xx answer means (None for a 2xx): 429 waits as told, 5xx is unknown, 401/403
    and other 4xx are a person's to fix."""
    code = response.status_code
    if code < 300:
        return None
    if code == 429:
        return Outcome(
            D.RETRYING, f"{what} is rate limiting (429)", retry_after=retry_after(response)
        )
    if code >= 500:
        return Outcome(AMBIGUOUS, f"{what} answered {code}")
    if code in (401, 403):
        return Outcome(
            D.FAILED,
            f"{what} refused the credentials ({code}): run `postroom channel connect` again",
        )
    if code == 408:
        return Outcome(AMBIGUOUS, f"{what} answered 408 (request timeout)")
    return Outcome(D.FAILED, f"{what} refused the post ({code}): {error_text(response)}")


def upload(post, name: str, what: str) -> httpx.Response:
    """Send one medium (`post()` makes the request) and give the answer; an upload is not the
    post, so anything but a refusal is "not sent": asking again only leaves an unused file."""
    import httpx

    try:
        response = post()
    except httpx.HTTPError as error:
        raise NotSent(f"uploading {name}: {transport_outcome(error, what).reason}") from None
    bad = response_outcome(response, what)
    if bad is not None:
        if bad.state is D.FAILED:
            raise Refused(f"{name}: {bad.reason}")
        raise NotSent(f"uploading {name}: {bad.reason}", bad.retry_after)
    return response


def error_text(response: httpx.Response) -> str:
    """The server's own reason, short."""
    try:
        body = response.json()
    except ValueError:
        return _short(response.text or response.reason_phrase)
    if isinstance(body, dict):
        for key in ("error", "message", "error_description"):
            if isinstance(body.get(key), str):
                return _short(body[key])
    return _short(str(body))


def retry_after(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds to wait, from `Retry-After` (seconds or an HTTP date) or `X-RateLimit-Reset`
    (epoch seconds, or an ISO-8601 time as real Mastodon sends; Bluesky's `RateLimit-Reset`)."""
    now = time.time() if now is None else now
    value = response.headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("x-ratelimit-reset") or response.headers.get("ratelimit-reset")
    if reset:
        reset = reset.strip()
        try:
            return max(0.0, float(reset) - now)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return max(0.0, moment.timestamp() - now)
        except ValueError:
            pass
    return None


def _short(thing) -> str:
    text = " ".join(str(thing).split())
    return text[:200] + ("…" if len(text) > 200 else "")


def connector_for(kind: str, http: httpx.Client) -> Connector:
    """The connector of a channel's kind, talking through `http`."""
    if kind == "mastodon":
        from .mastodon import Mastodon

        return Mastodon(http)
    if kind == "bluesky":
        from .bluesky import Bluesky

        return Bluesky(http)
    if kind == "webhook":
        from .webhook import Webhook

        return Webhook(http)
    from .manual import Manual

    return Manual()


KINDS = ("manual", "mastodon", "bluesky", "webhook")
