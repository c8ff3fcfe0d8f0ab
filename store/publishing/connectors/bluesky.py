"""Bluesky (any atproto PDS): a session from the handle and an app password, refreshed before it
expires; images through uploadBlob with alt text and aspect ratio; the post made with
createRecord at the delivery's own record key, a TID fixed when the delivery was made.

The key makes it exactly once: a second createRecord at the same key cannot make a second post
(the PDS answers 500 — so a 5xx or a timeout is settled by reading the record at that key)."""

from __future__ import annotations

import base64
import json
import mimetypes
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from ...domain import DeliveryState, MediaKind
from ..deliveries import Outcome
from ..images import dimensions
from ..richtext import facets
from . import AMBIGUOUS, Job, NotSent, Refused, response_outcome, transport_outcome, upload

D = DeliveryState
POST = "app.bsky.feed.post"
BLOB_LIMIT = 1_000_000
#: Refresh the access token when it has less than this many seconds left.
REFRESH_AHEAD = 120

#: Sessions by (server, handle), kept for the life of the process.
_sessions: dict[tuple[str, str], dict] = {}


def _expiry(jwt: str) -> float:
    try:
        payload = jwt.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return float(json.loads(base64.urlsafe_b64decode(payload))["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return time.time() + 60


def post_url(handle: str, rkey: str) -> str:
    """The post's link in the Bluesky app."""
    return f"https://bsky.app/profile/{handle}/post/{rkey}"


class Bluesky:
    kind = "bluesky"

    def __init__(self, http: httpx.Client):
        self.http = http

    # -- session ------------------------------------------------------------------------------

    def _xrpc(self, creds: dict[str, str], method: str) -> str:
        return f"{creds['server'].rstrip('/')}/xrpc/{method}"

    def _create_session(self, creds: dict[str, str]) -> dict:
        what = creds["server"]
        try:
            response = self.http.post(
                self._xrpc(creds, "com.atproto.server.createSession"),
                json={"identifier": creds["handle"], "password": creds["app_password"]},
            )
        except httpx.HTTPError as error:
            raise NotSent(transport_outcome(error, what).reason) from None
        if response.status_code in (400, 401):
            raise Refused(
                f"{what} refused the handle or app password ({response.status_code}): run "
                "`postroom channel connect` again"
            )
        bad = response_outcome(response, what)
        if bad is not None:
            raise NotSent(bad.reason, bad.retry_after)
        return response.json()

    def session(self, creds: dict[str, str]) -> dict:
        """A session whose access token has time left: refreshed (POST with no body, the refresh
        token as bearer) before it expires, made anew when refreshing fails."""
        key = (creds["server"], creds["handle"])
        current = _sessions.get(key)
        if current is not None and _expiry(current["accessJwt"]) - time.time() > REFRESH_AHEAD:
            return current
        if current is not None:
            try:
                response = self.http.post(
                    self._xrpc(creds, "com.atproto.server.refreshSession"),
                    headers={"Authorization": f"Bearer {current['refreshJwt']}"},
                )
                if response.status_code == 200:
                    _sessions[key] = {**current, **response.json()}
                    return _sessions[key]
            except httpx.HTTPError:
                pass
        _sessions[key] = self._create_session(creds)
        return _sessions[key]

    def _auth(self, creds) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.session(creds)['accessJwt']}"}

    def verify(self, creds: dict[str, str]) -> str:
        try:
            _sessions.pop((creds["server"], creds["handle"]), None)
            s = self.session(creds)
        except NotSent as error:
            raise Refused(str(error)) from None
        return f"@{s['handle']} ({s['did']}) on {creds['server']}"

    # -- publishing -----------------------------------------------------------------------------

    def _resolver(self, creds: dict[str, str]):
        def resolve(handle: str) -> str | None:
            try:
                response = self.http.get(
                    self._xrpc(creds, "com.atproto.identity.resolveHandle"),
                    params={"handle": handle},
                )
                return response.json().get("did") if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                return None

        return resolve

    def prepare(self, job: Job, creds: dict[str, str]) -> list[dict]:
        """Upload each image (refusing one over 1,000,000 bytes before sending it); returns the
        images embed entries with alt text and aspect ratio."""
        self.session(creds)  # a refused app password shows here, before anything is sent
        images = []
        for asset in job.media:
            path = Path(asset.uri)
            if asset.kind != MediaKind.IMAGE:
                raise Refused(f"{path.name}: Postroom sends only images to Bluesky")
            size = path.stat().st_size if path.is_file() else 0
            if size > BLOB_LIMIT:
                raise Refused(
                    f"{path.name} is {size:,} bytes; Bluesky takes images up to 1,000,000"
                )
            try:
                data = path.read_bytes()
            except OSError as error:
                raise Refused(f"media file {path} cannot be read ({error.strerror})") from None
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            response = upload(
                lambda data=data, kind=kind: self.http.post(
                    self._xrpc(creds, "com.atproto.repo.uploadBlob"),
                    content=data,
                    headers={**self._auth(creds), "Content-Type": kind},
                ),
                path.name,
                creds["server"],
            )
            image = {"alt": asset.alt_text or "", "image": response.json()["blob"]}
            size_of = dimensions(path)
            if size_of and all(size_of):
                image["aspectRatio"] = {"width": size_of[0], "height": size_of[1]}
            images.append(image)
        return images

    def record(self, job: Job, creds: dict[str, str], images: list[dict]) -> dict:
        """The app.bsky.feed.post record of this delivery."""
        record: dict = {
            "$type": POST,
            "text": job.caption,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
        found = facets(job.caption, self._resolver(creds))
        if found:
            record["facets"] = found
        if images:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": images}
        if job.language:
            record["langs"] = [job.language]
        return record

    def publish(self, job: Job, creds: dict[str, str], media: list[dict]) -> Outcome:
        what = creds["server"]
        s = self.session(creds)
        body = {
            "repo": s["did"],
            "collection": POST,
            "rkey": job.record_key,
            "record": self.record(job, creds, media),
        }
        try:
            response = self.http.post(
                self._xrpc(creds, "com.atproto.repo.createRecord"),
                json=body,
                headers=self._auth(creds),
            )
        except httpx.HTTPError as error:
            return transport_outcome(error, what)
        if response.status_code == 400:
            return Outcome(D.FAILED, f"{what} refused the post: {_error(response)}")
        bad = response_outcome(response, what)
        if bad is not None:
            return bad
        try:
            uri = response.json()["uri"]
        except (ValueError, KeyError, TypeError):
            return Outcome(AMBIGUOUS, f"{what} answered without the post's address")
        return Outcome(D.SENT, remote_id=uri, remote_url=post_url(s["handle"], job.record_key))

    def look(self, job: Job, creds: dict[str, str]) -> Outcome | None:
        """Read the record at the delivery's key: SENT when our post is there, None when nothing
        is, UNCONFIRMED when the answer does not say."""
        what = creds["server"]
        s = self.session(creds)
        try:
            response = self.http.get(
                self._xrpc(creds, "com.atproto.repo.getRecord"),
                params={"repo": s["did"], "collection": POST, "rkey": job.record_key},
            )
        except httpx.HTTPError as error:
            return Outcome(AMBIGUOUS, transport_outcome(error, what).reason)
        if response.status_code == 400 and "RecordNotFound" in response.text:
            return None
        if response.status_code != 200:
            return Outcome(
                AMBIGUOUS, f"reading the post back, {what} answered {response.status_code}"
            )
        found = response.json()
        if found.get("value", {}).get("text") != job.caption:
            return Outcome(D.UNCONFIRMED, f"another post sits at record key {job.record_key}")
        return Outcome(
            D.SENT, remote_id=found["uri"], remote_url=post_url(s["handle"], job.record_key)
        )

    def reconcile(self, job: Job, creds: dict[str, str], media: list[dict]) -> Outcome | None:
        """After a 5xx or a timeout: read the record at our key first; if it is not there, the
        create did not happen, and creating it again at the same key is safe."""
        seen = self.look(job, creds)
        if seen is not None:
            return seen if seen.state is not AMBIGUOUS else None
        again = self.publish(job, creds, media)
        if again.state is AMBIGUOUS:
            seen = self.look(job, creds)
            return seen if seen is not None and seen.state is D.SENT else None
        return again

    # -- counters -----------------------------------------------------------------------------

    #: app.bsky.feed.getPosts takes at most this many URIs a call.
    BATCH = 25

    def fetch_statuses(self, creds: dict[str, str], remote_ids: list[str]) -> dict[str, dict]:
        """The counters of up to 25 posts (their at:// URIs) in one app.bsky.feed.getPosts:
        likes, replies as comments, and reposts + quotes as shares. A post the AppView does not
        return (deleted, or not indexed yet) is left out."""
        url, headers = self._appview(creds, "app.bsky.feed.getPosts")
        out: dict[str, dict] = {}
        for i in range(0, len(remote_ids), self.BATCH):
            response = self.http.get(
                url, params=[("uris", uri) for uri in remote_ids[i : i + self.BATCH]],
                headers=headers,
            )  # fmt: skip
            response.raise_for_status()
            for view in response.json().get("posts", []):
                out[view["uri"]] = {
                    "likes": view.get("likeCount", 0),
                    "comments": view.get("replyCount", 0),
                    "shares": view.get("repostCount", 0) + view.get("quoteCount", 0),
                }
        return out

    # -- the inbox ----------------------------------------------------------------------------

    def _appview(self, creds: dict[str, str], method: str) -> tuple[str, dict[str, str]]:
        """Where app.bsky reads go: through the PDS, which proxies them to the Bluesky AppView
        (`atproto-proxy`), or straight to an AppView named in the credentials (`appview`), as a
        self-hosted one and the tests' loopback one are reached."""
        headers = self._auth(creds)
        if creds.get("appview"):
            return f"{creds['appview'].rstrip('/')}/xrpc/{method}", headers
        headers["atproto-proxy"] = creds.get("appview_did", "did:web:api.bsky.app#bsky_appview")
        return self._xrpc(creds, method), headers

    def inbox(self, creds: dict[str, str], cursor: dict) -> tuple[list, dict]:
        """Replies, mentions and quotes from app.bsky.notification.listNotifications, newest
        first, paged with its `cursor` back to the newest notification the last pass saw (its
        `indexedAt`, kept as this channel's cursor). Returns the messages and the cursor."""
        what = creds["server"]
        me = self.session(creds)["did"]
        seen = cursor.get("seen")
        newest, page_cursor, found = seen, None, []
        for _ in range(20):  # at most 2,000 notifications a pass; the rest on the next
            params: dict = {"limit": 100}
            if page_cursor:
                params["cursor"] = page_cursor
            url, headers = self._appview(creds, "app.bsky.notification.listNotifications")
            try:
                response = self.http.get(url, params=params, headers=headers)
            except httpx.HTTPError as error:
                raise NotSent(transport_outcome(error, what).reason) from None
            if response.status_code != 200:
                raise NotSent(f"{what} answered {response.status_code} to the notifications")
            try:
                body = response.json()
                notes = body["notifications"]
                assert isinstance(notes, list)
            except (ValueError, KeyError, TypeError, AssertionError):
                raise NotSent(f"{what} did not answer with a list of notifications") from None
            done = False
            for note in notes:
                at = note.get("indexedAt") if isinstance(note, dict) else None
                if not at:
                    continue
                if seen and at <= seen:
                    done = True
                    break
                newest = at if newest is None or at > newest else newest
                message = _incoming(note, me)
                if message is not None:
                    found.append(message)
            page_cursor = body.get("cursor")
            if done or not page_cursor or not notes:
                break
        return found, {**cursor, "seen": newest}

    def _ref(self, creds: dict[str, str], uri: str) -> dict | None:
        """A strong reference ({uri, cid}) to a post, read from its repository (the PDS serves
        its own and fetches others'); None when the post is gone."""
        try:
            repo, collection, rkey = uri.removeprefix("at://").split("/")
        except ValueError:
            return None
        response = self.http.get(
            self._xrpc(creds, "com.atproto.repo.getRecord"),
            params={"repo": repo, "collection": collection, "rkey": rkey},
        )
        if response.status_code == 400 and "RecordNotFound" in response.text:
            return None
        response.raise_for_status()
        found = response.json()
        return {"uri": found["uri"], "cid": found["cid"]}

    def reply(self, job, creds: dict[str, str]) -> Outcome:
        """A reply post in the thread at the reply's own record key: the key is read first (so
        asking again after a 5xx or a timeout finds the first one rather than making a second),
        then the post made with its root and parent references."""
        what = creds["server"]
        if job.private:
            return Outcome(D.FAILED, "Bluesky direct messages are answered in the Bluesky app")
        s = self.session(creds)
        text = job.body
        seen = self._look_at(creds, s, job.record_key, text)
        if seen is not None:
            return seen
        try:
            parent = self._ref(creds, job.in_reply_to) if job.in_reply_to else None
            root = (
                self._ref(creds, job.root) if job.root and job.root != job.in_reply_to else parent
            )
        except (httpx.HTTPError, ValueError, KeyError) as error:
            return Outcome(D.RETRYING, f"reading the thread from {what} failed ({error})")
        if parent is None or root is None:
            return Outcome(D.FAILED, "the post being answered is gone from Bluesky")
        record: dict = {
            "$type": POST,
            "text": text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "reply": {"root": root, "parent": parent},
        }
        found = facets(text, self._resolver(creds))
        if found:
            record["facets"] = found
        body = {"repo": s["did"], "collection": POST, "rkey": job.record_key, "record": record}
        try:
            response = self.http.post(
                self._xrpc(creds, "com.atproto.repo.createRecord"),
                json=body,
                headers=self._auth(creds),
            )
        except httpx.HTTPError as error:
            return transport_outcome(error, what)
        if response.status_code == 400:
            return Outcome(D.FAILED, f"{what} refused the reply: {_error(response)}")
        bad = response_outcome(response, what)
        if bad is not None:
            return bad
        try:
            uri = response.json()["uri"]
        except (ValueError, KeyError, TypeError):
            return Outcome(AMBIGUOUS, f"{what} answered without the reply's address")
        return Outcome(D.SENT, remote_id=uri, remote_url=post_url(s["handle"], job.record_key))

    def _look_at(self, creds: dict[str, str], s: dict, rkey: str, text: str) -> Outcome | None:
        """Our post at `rkey`: SENT when it is there, None when nothing is, AMBIGUOUS when the
        answer does not say, UNCONFIRMED when another post holds the key."""
        what = creds["server"]
        try:
            response = self.http.get(
                self._xrpc(creds, "com.atproto.repo.getRecord"),
                params={"repo": s["did"], "collection": POST, "rkey": rkey},
            )
        except httpx.HTTPError as error:
            return Outcome(AMBIGUOUS, transport_outcome(error, what).reason)
        if response.status_code == 400 and "RecordNotFound" in response.text:
            return None
        if response.status_code != 200:
            return Outcome(AMBIGUOUS, f"reading back, {what} answered {response.status_code}")
        found = response.json()
        if found.get("value", {}).get("text") != text:
            return Outcome(D.UNCONFIRMED, f"another post sits at record key {rkey}")
        return Outcome(D.SENT, remote_id=found["uri"], remote_url=post_url(s["handle"], rkey))


#: Notification reasons that belong in the inbox, and the kind of message each is.
REASONS = {"reply": "comment", "mention": "mention", "quote": "mention"}


def _incoming(note: dict, me: str):
    """One notification as an inbox message (None for likes, follows, reposts and our own)."""
    from ...domain import InboxKind
    from ...inbox.model import Incoming

    kind = REASONS.get(note.get("reason", ""))
    author = note.get("author") or {}
    record = note.get("record") or {}
    if kind is None or author.get("did") == me or not isinstance(record, dict):
        return None
    uri, handle = note.get("uri", ""), author.get("handle", "")
    if not uri or not handle:
        return None
    reply = record.get("reply") or {}
    parent = (reply.get("parent") or {}).get("uri")
    root = (reply.get("root") or {}).get("uri")
    thread = None
    if note.get("reason") == "quote":
        # A quote is about our post but is a thread of its own (not folded into the replies).
        embed = record.get("embed") or {}
        quoted = (embed.get("record") or {}).get("uri") or note.get("reasonSubject")
        parent, thread = parent or quoted, uri
    try:
        received = datetime.fromisoformat(note["indexedAt"].replace("Z", "+00:00"))
    except (KeyError, ValueError, AttributeError):
        received = datetime.now(UTC)
    return Incoming(
        remote_id=uri,
        kind=InboxKind(kind),
        author_handle=f"@{handle}",
        body=str(record.get("text", "")),
        received_at=received,
        author_name=str(author.get("displayName") or ""),
        in_reply_to=parent,
        root=root,
        thread=thread,
        remote_url=post_url(handle, uri.rsplit("/", 1)[-1]),
    )


def _error(response: httpx.Response) -> str:
    try:
        body = response.json()
        return f"{body.get('error', '')}: {body.get('message', '')}".strip(": ")
    except ValueError:
        return response.text[:200]
