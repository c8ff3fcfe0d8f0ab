"""A loopback stand-in for the Bluesky AppView's notifications and post views, for the inbox and
counters tests (app.bsky.notification.listNotifications, app.bsky.feed.getPosts).

The reference PDS proxies app.bsky.notification.listNotifications to an AppView, which the test
setup does not have (the real one needs PostgreSQL, Redis and the firehose). This server answers
that one query, on 127.0.0.1, from the real records on the PDS: it reads the watched accounts'
posts and likes there and makes a notification for each reply, mention, quote and like of the
asking account, newest first, paged by `cursor`. Every answer it gives is checked against the
lexicon that the @atproto/api package ships (`assert_valid`), so its shape is Bluesky's, not ours.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx

from .servers import PDS_DIR

METHOD = "app.bsky.notification.listNotifications"
POSTS = "app.bsky.feed.getPosts"

VALIDATE = r"""
const { lexicons } = require('@atproto/api/dist/client/lexicons')
let input = ''
process.stdin.on('data', (chunk) => { input += chunk })
process.stdin.on('end', () => {
  try {
    lexicons.assertValidXrpcOutput(process.argv[1], JSON.parse(input))
    process.stdout.write('valid')
  } catch (error) {
    process.stdout.write(String(error.message || error))
    process.exit(1)
  }
})
"""


def assert_valid(body: dict, method: str = METHOD) -> None:
    """Raise unless `body` is a valid output of `method` by @atproto/api's own lexicons."""
    done = subprocess.run(
        ["node", "-e", VALIDATE, method],
        input=json.dumps(body),
        capture_output=True,
        text=True,
        cwd=PDS_DIR,
        timeout=60,
    )
    assert done.returncode == 0, f"not a valid {method} output: {done.stdout}{done.stderr}"


def _subject(authorization: str) -> str | None:
    """The DID a bearer access token was given to (its `sub`)."""
    try:
        payload = authorization.split(" ", 1)[1].split(".")[1]
        payload += "=" * (-len(payload) % 4)
        return json.loads(base64.urlsafe_b64decode(payload))["sub"]
    except (IndexError, ValueError, KeyError):
        return None


class AppView:
    """Start with `start()`; `watch(account)` the accounts whose records make notifications;
    `fail(status)` makes the next answer that status; `answers` keeps every body sent."""

    def __init__(self, pds_url: str):
        self.pds_url = pds_url
        self.watched: list[dict] = []
        self.failures: list[int] = []
        self.answers: list[dict] = []  # listNotifications
        self.post_answers: list[dict] = []  # getPosts
        self.requests: list[dict] = []
        self.server: ThreadingHTTPServer | None = None

    def watch(self, account: dict) -> None:
        self.watched.append(account)

    def fail(self, status: int) -> None:
        self.failures.append(status)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _records(self, did: str, collection: str) -> list[dict]:
        found, cursor = [], None
        while True:
            params = {"repo": did, "collection": collection, "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = httpx.get(
                f"{self.pds_url}/xrpc/com.atproto.repo.listRecords", params=params, timeout=20
            ).json()
            found.extend(page.get("records", []))
            cursor = page.get("cursor")
            if not cursor or not page.get("records"):
                return found

    def notifications(self, me: str) -> list[dict]:
        """Every notification of `me` from the watched accounts' records, newest first."""
        mine = f"at://{me}/"
        found = []
        for account in self.watched:
            author = {"did": account["did"], "handle": account["handle"]}
            if account.get("display_name"):
                author["displayName"] = account["display_name"]
            for record in self._records(account["did"], "app.bsky.feed.post"):
                value = record["value"]
                reply = value.get("reply") or {}
                parent = (reply.get("parent") or {}).get("uri", "")
                quoted = ((value.get("embed") or {}).get("record") or {}).get("uri", "")
                mentions = [
                    feature.get("did")
                    for facet in value.get("facets") or []
                    for feature in facet.get("features") or []
                    if feature.get("$type") == "app.bsky.richtext.facet#mention"
                ]
                if parent.startswith(mine):
                    reason, subject = "reply", parent
                elif quoted.startswith(mine):
                    reason, subject = "quote", quoted
                elif me in mentions:
                    reason, subject = "mention", None
                else:
                    continue
                found.append(self._note(record, author, reason, subject))
            for record in self._records(account["did"], "app.bsky.feed.like"):
                subject = record["value"].get("subject", {}).get("uri", "")
                if subject.startswith(mine):
                    found.append(self._note(record, author, "like", subject))
        return sorted(found, key=lambda n: (n["indexedAt"], n["uri"]), reverse=True)

    def post_views(self, uris: list[str]) -> list[dict]:
        """The posts at `uris` as the AppView shows them, with their like, repost, reply and
        quote counts made from the watched accounts' records; one not on the PDS is left out."""
        counts = {uri: {"likeCount": 0, "repostCount": 0, "replyCount": 0, "quoteCount": 0}
                  for uri in uris}  # fmt: skip
        for account in self.watched:
            for record in self._records(account["did"], "app.bsky.feed.like"):
                subject = record["value"].get("subject", {}).get("uri")
                if subject in counts:
                    counts[subject]["likeCount"] += 1
            for record in self._records(account["did"], "app.bsky.feed.repost"):
                subject = record["value"].get("subject", {}).get("uri")
                if subject in counts:
                    counts[subject]["repostCount"] += 1
            for record in self._records(account["did"], "app.bsky.feed.post"):
                value = record["value"]
                parent = ((value.get("reply") or {}).get("parent") or {}).get("uri")
                quoted = ((value.get("embed") or {}).get("record") or {}).get("uri")
                if parent in counts:
                    counts[parent]["replyCount"] += 1
                if quoted in counts:
                    counts[quoted]["quoteCount"] += 1
        views = []
        for uri in uris:
            did, _, rkey = uri.removeprefix("at://").split("/", 2)
            got = httpx.get(
                f"{self.pds_url}/xrpc/com.atproto.repo.getRecord",
                params={"repo": did, "collection": "app.bsky.feed.post", "rkey": rkey},
                timeout=20,
            )
            if got.status_code != 200:
                continue
            record = got.json()
            handle = httpx.get(
                f"{self.pds_url}/xrpc/com.atproto.repo.describeRepo", params={"repo": did},
                timeout=20,
            ).json()["handle"]  # fmt: skip
            views.append({
                "uri": uri, "cid": record["cid"], "author": {"did": did, "handle": handle},
                "record": record["value"], "indexedAt": record["value"]["createdAt"],
                "labels": [], **counts[uri],
            })  # fmt: skip
        return views

    @staticmethod
    def _note(record: dict, author: dict, reason: str, subject: str | None) -> dict:
        note = {
            "uri": record["uri"],
            "cid": record["cid"],
            "author": author,
            "reason": reason,
            "record": record["value"],
            "isRead": False,
            "indexedAt": record["value"]["createdAt"],
            "labels": [],
        }
        if subject:
            note["reasonSubject"] = subject
        return note

    def start(self) -> AppView:
        view = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                every_value = parse_qs(url.query)
                params = {k: v[-1] for k, v in every_value.items()}
                view.requests.append({"path": url.path, **params, "all": every_value})
                if url.path not in (f"/xrpc/{METHOD}", f"/xrpc/{POSTS}"):
                    self._send(404, {"error": "MethodNotImplemented", "message": url.path})
                    return
                me = _subject(self.headers.get("Authorization", ""))
                if me is None:
                    self._send(401, {"error": "AuthMissing", "message": "Authentication Required"})
                    return
                if view.failures:
                    status = view.failures.pop(0)
                    self._send(status, {"error": "UpstreamFailure", "message": "try later"})
                    return
                if url.path == f"/xrpc/{POSTS}":
                    uris = every_value.get("uris", [])
                    if len(uris) > 25:  # the lexicon's maxLength
                        self._send(400, {"error": "InvalidRequest", "message": "uris: max 25"})
                        return
                    body = {"posts": view.post_views(uris)}
                    view.post_answers.append(body)
                    self._send(200, body)
                    return
                limit = min(max(int(params.get("limit", 50)), 1), 100)
                start = int(params.get("cursor", 0))
                every = view.notifications(me)
                page = every[start : start + limit]
                body: dict = {"notifications": page}
                if start + limit < len(every):
                    body["cursor"] = str(start + limit)
                view.answers.append(body)
                self._send(200, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
