"""Mastodon (and servers that speak its API): statuses with an Idempotency-Key, media through
/api/v2/media with alt text, visibility and language per channel, and the server's own limit.

Every attempt of a delivery sends the same Idempotency-Key, so asking again after a timeout or a
5xx returns the status the first request made, if it made one (Mastodon keeps keys for an hour:
the backoff of 1, 5 and 30 minutes stays inside it)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from ...domain import DeliveryState, MediaKind, Platform
from ..deliveries import Outcome
from ..platforms import caption_length
from . import AMBIGUOUS, Job, NotSent, Refused, response_outcome, transport_outcome, upload

D = DeliveryState
DEFAULT_LIMIT = 500
#: How long to wait for the server to finish processing an upload (202, url null).
MEDIA_WAIT = 60.0


class Mastodon:
    kind = "mastodon"

    def __init__(self, http: httpx.Client):
        self.http = http
        self._limits: dict[str, int] = {}

    def _url(self, creds: dict[str, str], path: str) -> str:
        return creds["server"].rstrip("/") + path

    def _auth(self, creds: dict[str, str]) -> dict[str, str]:
        return {"Authorization": f"Bearer {creds['token']}"}

    def verify(self, creds: dict[str, str]) -> str:
        """`@user on server`, or Refused saying what was wrong."""
        what = creds["server"]
        try:
            response = self.http.get(
                self._url(creds, "/api/v1/accounts/verify_credentials"), headers=self._auth(creds)
            )
        except httpx.HTTPError as error:
            raise Refused(transport_outcome(error, what).reason) from None
        bad = response_outcome(response, what)
        if bad is not None:
            raise Refused(bad.reason)
        try:
            account = response.json()
        except ValueError:
            raise Refused(f"{what} did not answer as a Mastodon server does") from None
        return f"@{account.get('acct') or account.get('username')} on {what}"

    def register(self, server: str) -> tuple[str, str, str]:
        """Register Postroom as an app on the server (OAuth): its client id and secret, and the
        address where the account's owner authorizes it and is shown a code."""
        redirect = "urn:ietf:wg:oauth:2.0:oob"
        try:
            response = self.http.post(
                f"{server}/api/v1/apps",
                json={"client_name": "Postroom", "redirect_uris": redirect, "scopes": "read write"},
            )
        except httpx.HTTPError as error:
            raise Refused(transport_outcome(error, server).reason) from None
        bad = response_outcome(response, server)
        if bad is not None:
            raise Refused(bad.reason)
        app = response.json()
        query = httpx.QueryParams(
            client_id=app["client_id"],
            redirect_uri=redirect,
            response_type="code",
            scope="read write",
        )
        return app["client_id"], app["client_secret"], f"{server}/oauth/authorize?{query}"

    def exchange(self, server: str, client_id: str, client_secret: str, code: str) -> str:
        """The access token for an authorization code."""
        try:
            response = self.http.post(
                f"{server}/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
                    "scope": "read write",
                },
            )
        except httpx.HTTPError as error:
            raise Refused(transport_outcome(error, server).reason) from None
        if response.status_code != 200:
            raise Refused(
                f"{server} did not take the code ({response.status_code}): authorize again"
            )
        return response.json()["access_token"]

    def limit(self, creds: dict[str, str]) -> int:
        """The server's character limit (its /api/v2/instance), 500 where it says nothing."""
        server = creds["server"]
        if server not in self._limits:
            try:
                response = self.http.get(self._url(creds, "/api/v2/instance"))
                config = response.json().get("configuration", {}) if response.is_success else {}
                value = config.get("statuses", {}).get("max_characters")
                self._limits[server] = int(value) if value else DEFAULT_LIMIT
            except httpx.HTTPError as error:
                raise NotSent(transport_outcome(error, server).reason) from None
            except (ValueError, AttributeError, TypeError):
                self._limits[server] = DEFAULT_LIMIT
        return self._limits[server]

    def prepare(self, job: Job, creds: dict[str, str]) -> list[str]:
        """Check the caption against the server's limit, then upload each medium with its alt
        text; returns the media ids."""
        limit = self.limit(creds)
        length = caption_length(Platform.MASTODON, job.caption)
        if length > limit:
            raise Refused(f"{length} of {limit} characters (this server's limit)")
        return [self._upload(job, creds, asset) for asset in job.media]

    def _upload(self, job: Job, creds: dict[str, str], asset) -> str:
        what = creds["server"]
        path = Path(asset.uri)
        try:
            with path.open("rb") as f:
                response = upload(
                    lambda: self.http.post(
                        self._url(creds, "/api/v2/media"),
                        headers=self._auth(creds),
                        files={"file": (path.name, f)},
                        data={"description": asset.alt_text} if asset.alt_text else {},
                    ),
                    path.name,
                    what,
                )
        except OSError as error:
            raise Refused(f"media file {path} cannot be read ({error.strerror})") from None
        try:
            media = response.json()
            media_id = str(media["id"])
        except (ValueError, KeyError, TypeError):
            raise NotSent(f"uploading {path.name}: {what} gave no media id") from None
        if response.status_code == 202 or not media.get("url"):
            self._wait_processed(creds, media_id, path.name, asset.kind)
        return media_id

    def _wait_processed(self, creds, media_id: str, name: str, kind) -> None:
        """Wait while the server is still processing an upload (202, `url: null`)."""
        deadline = time.monotonic() + MEDIA_WAIT * (3 if kind == MediaKind.VIDEO else 1)
        pause = 0.5
        while time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 2, 5.0)
            try:
                response = self.http.get(
                    self._url(creds, f"/api/v1/media/{media_id}"), headers=self._auth(creds)
                )
            except httpx.HTTPError:
                continue
            if response.status_code == 200 and response.json().get("url"):
                return
        raise NotSent(f"{name} is still being processed by the server")

    def publish(self, job: Job, creds: dict[str, str], media: list[str]) -> Outcome:
        """One POST of the status under the delivery's Idempotency-Key."""
        what = creds["server"]
        body: dict = {"status": job.caption, "visibility": job.visibility or "public"}
        if media:
            body["media_ids"] = media
        if job.language:
            body["language"] = job.language
        headers = {**self._auth(creds), "Idempotency-Key": job.idempotency_key}
        try:
            response = self.http.post(
                self._url(creds, "/api/v1/statuses"), json=body, headers=headers
            )
        except httpx.HTTPError as error:
            return transport_outcome(error, what)
        bad = response_outcome(response, what)
        if bad is not None:
            return bad
        try:
            status = response.json()
            return Outcome(
                D.SENT,
                remote_id=str(status["id"]),
                remote_url=status.get("url") or status.get("uri"),
            )
        except (ValueError, KeyError, TypeError):
            return Outcome(
                AMBIGUOUS,
                f"{what} answered {response.status_code} with a body that is not a status",
            )

    def reconcile(self, job: Job, creds: dict[str, str], media: list[str]) -> Outcome | None:
        """Ask again under the same key: the server answers with the status the first request
        made, or makes it now (once, whatever happened before)."""
        return self.publish(job, creds, media)

    def fetch_status(self, job: Job, creds: dict[str, str], remote_id: str) -> dict:
        """The status's counters as the server has them."""
        response = self.http.get(
            self._url(creds, f"/api/v1/statuses/{remote_id}"), headers=self._auth(creds)
        )
        response.raise_for_status()
        status = response.json()
        return {
            "likes": status.get("favourites_count", 0),
            "shares": status.get("reblogs_count", 0),
            "comments": status.get("replies_count", 0),
        }

    def look(self, job: Job, creds: dict[str, str]) -> Outcome | None:
        """Mastodon cannot be asked whether a key was used without using it: publishing again
        under the same key is the look."""
        return None

    # -- the inbox ------------------------------------------------------------------------------

    def inbox(self, creds: dict[str, str], cursor: dict) -> tuple[list, dict]:
        """What is new since `cursor`: mentions (replies to our posts among them) from the
        notifications, paged back with max_id to the last since_id, and the direct
        conversations' latest messages. Returns the messages and the cursor to keep."""
        from ...inbox.mastodon_text import incoming

        what = creds["server"]
        me = self._get(creds, "/api/v1/accounts/verify_credentials", {})["id"]
        since = cursor.get("notifications")
        newest, max_id, found = since, None, []
        for _ in range(25):  # at most 1,000 notifications a pass; the rest on the next
            params: dict = {"types[]": "mention", "limit": 40}
            if since:
                params["since_id"] = since
            if max_id:
                params["max_id"] = max_id
            page = self._get(creds, "/api/v1/notifications", params)
            if not isinstance(page, list):
                raise NotSent(f"{what} did not answer with a list of notifications")
            for note in page:
                status = note.get("status") if isinstance(note, dict) else None
                if status and status.get("account", {}).get("id") != me:
                    found.append(incoming(status))
                if note.get("id") and (newest is None or _later(note["id"], newest)):
                    newest = note["id"]
            if len(page) < 40:
                break
            max_id = page[-1]["id"]
        for conversation in self._get(creds, "/api/v1/conversations", {"limit": 40}) or []:
            status = conversation.get("last_status") if isinstance(conversation, dict) else None
            if status and status.get("account", {}).get("id") != me:
                found.append(incoming(status))
        return found, {**cursor, "notifications": newest}

    def _get(self, creds: dict[str, str], path: str, params: dict):
        what = creds["server"]
        try:
            response = self.http.get(
                self._url(creds, path), params=params, headers=self._auth(creds)
            )
        except httpx.HTTPError as error:
            raise NotSent(transport_outcome(error, what).reason) from None
        bad = response_outcome(response, what)
        if bad is not None:
            if bad.state is D.FAILED:
                raise Refused(bad.reason)
            raise NotSent(bad.reason, bad.retry_after)
        try:
            return response.json()
        except ValueError:
            raise NotSent(f"{what} answered {path} with a body that is not JSON") from None

    def reply(self, job, creds: dict[str, str]) -> Outcome:
        """One POST of a reply under its Idempotency-Key: in the thread, privately for a DM (the
        person is mentioned, as Mastodon needs for a direct message to reach them)."""
        what = creds["server"]
        handle = job.author_handle if job.author_handle.startswith("@") else f"@{job.author_handle}"
        text = job.body if handle.casefold() in job.body.casefold() else f"{handle} {job.body}"
        body: dict = {"status": text, "visibility": "direct" if job.private else "public"}
        if job.in_reply_to:
            body["in_reply_to_id"] = job.in_reply_to
        headers = {**self._auth(creds), "Idempotency-Key": job.idempotency_key}
        try:
            response = self.http.post(
                self._url(creds, "/api/v1/statuses"), json=body, headers=headers
            )
        except httpx.HTTPError as error:
            return transport_outcome(error, what)
        bad = response_outcome(response, what)
        if bad is not None:
            return bad
        try:
            status = response.json()
            return Outcome(
                D.SENT,
                remote_id=str(status["id"]),
                remote_url=status.get("url") or status.get("uri"),
            )
        except (ValueError, KeyError, TypeError):
            return Outcome(AMBIGUOUS, f"{what} answered with a body that is not a status")


def _later(a: str, b: str) -> bool:
    """Whether notification id `a` is newer than `b` (numeric where both are)."""
    if str(a).isdigit() and str(b).isdigit():
        return int(a) > int(b)
    return str(a) > str(b)
