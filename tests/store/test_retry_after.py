"""How long a rate-limited server asks us to wait, in each way servers say it."""

import email.utils

import httpx

from store.domain import DeliveryState as D
from store.publishing.connectors import retry_after, transport_outcome

NOW = 1_800_000_000.0


def wait(**headers):
    return retry_after(httpx.Response(429, headers=headers), now=NOW)


def test_retry_after_in_seconds_or_as_a_date():
    assert wait(**{"Retry-After": "2"}) == 2
    assert wait(**{"Retry-After": email.utils.formatdate(NOW + 90, usegmt=True)}) == 90


def test_rate_limit_reset_as_epoch_or_iso_8601():
    assert wait(**{"X-RateLimit-Reset": str(int(NOW + 30))}) == 30
    assert wait(**{"X-RateLimit-Reset": "2027-01-15T08:00:30.000Z"}) == 30
    assert wait(**{"RateLimit-Reset": str(int(NOW + 5))}) == 5
    assert wait() is None


def test_never_connecting_is_not_sent_and_no_answer_is_unknown():
    request = httpx.Request("POST", "http://127.0.0.1:9/")
    assert (
        transport_outcome(httpx.ConnectError("refused", request=request), "x").state is D.RETRYING
    )
    assert transport_outcome(httpx.ReadTimeout("slow", request=request), "x").state is D.SENDING
