"""Platforms Postroom cannot reach (Instagram, TikTok, LinkedIn…): at its time the delivery becomes
"post by hand" for the post's owner, with the exact caption and media to copy; `postroom delivery
done ID --url URL` records it as sent."""

from __future__ import annotations

from ...domain import DeliveryState
from ..deliveries import Outcome
from . import Job


class Manual:
    kind = "manual"

    def verify(self, creds: dict[str, str]) -> str:
        return "by hand (nothing to connect)"

    def prepare(self, job: Job, creds: dict[str, str]) -> list:
        return []

    def publish(self, job: Job, creds: dict[str, str], media: list) -> Outcome:
        return Outcome(
            DeliveryState.MANUAL, "its time has come: post it by hand, then mark it done"
        )

    def reconcile(self, job: Job, creds: dict[str, str], media: list) -> Outcome | None:
        return None

    def look(self, job: Job, creds: dict[str, str]) -> Outcome | None:
        return None
