"""A webhook: the post as JSON, POSTed to a URL and signed the Standard Webhooks way, so a team can
connect Zapier, Make, n8n or its own system. A 2xx is success.

`webhook-id` is the delivery's idempotency key: every attempt carries the same one, so a receiver
that keeps the ids it has seen (as Standard Webhooks asks) takes each post once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

import httpx

from ...domain import DeliveryState
from ..deliveries import Outcome
from . import AMBIGUOUS, Job, Refused, response_outcome, transport_outcome

D = DeliveryState


def secret_bytes(secret: str) -> bytes:
    """A Standard Webhooks secret (`whsec_` and base64) as bytes; any other text as its UTF-8."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except ValueError:
            raise Refused("the webhook secret starts with whsec_ but is not base64") from None
    return secret.encode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: v1, then base64 of HMAC-SHA256 over `id.timestamp.body`."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def payload(job: Job) -> dict:
    """What the receiver gets: the post, the channel, the caption, the media, the time."""
    return {
        "type": "post.publish",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": {
            "delivery_id": job.delivery_id,
            "post_id": job.post_id,
            "title": job.title,
            "channel": {"id": job.channel_id, "platform": job.platform.value, "handle": job.handle},
            "caption": job.caption,
            "media": [
                {"uri": m.uri, "kind": m.kind.value, "alt_text": m.alt_text} for m in job.media
            ],
            "publish_at": job.publish_at.isoformat() if job.publish_at else None,
        },
    }


class Webhook:
    kind = "webhook"

    def __init__(self, http: httpx.Client):
        self.http = http

    def verify(self, creds: dict[str, str]) -> str:
        secret_bytes(creds["secret"])
        return f"a signed webhook to {creds['url']}"

    def prepare(self, job: Job, creds: dict[str, str]) -> list:
        return []

    def publish(self, job: Job, creds: dict[str, str], media: list) -> Outcome:
        body = json.dumps(payload(job), ensure_ascii=False).encode()
        message_id = f"msg_{job.idempotency_key}"
        stamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": sign(creds["secret"], message_id, stamp, body),
        }
        what = creds["url"]
        try:
            response = self.http.post(creds["url"], content=body, headers=headers)
        except httpx.HTTPError as error:
            return transport_outcome(error, what)
        bad = response_outcome(response, what)
        if bad is not None:
            return bad
        url = None
        try:
            answer = response.json()
            if isinstance(answer, dict) and isinstance(answer.get("url"), str):
                url = answer["url"]
        except ValueError:
            pass
        return Outcome(D.SENT, remote_id=message_id, remote_url=url)

    def reconcile(self, job: Job, creds: dict[str, str], media: list) -> Outcome | None:
        """Deliver again under the same webhook-id: the receiver keeps each id once."""
        outcome = self.publish(job, creds, media)
        return outcome if outcome.state is not AMBIGUOUS else None

    def look(self, job: Job, creds: dict[str, str]) -> Outcome | None:
        return None
