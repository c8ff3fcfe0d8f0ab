"""Real servers for the connector tests, started on 127.0.0.1: mastodon-mock (a FastAPI server
that speaks the Mastodon API, with fault injection). A test whose server cannot start fails."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ..npm import npm_ci

TOKEN = "postroom-test-token"
OTHER_TOKEN = "postroom-other-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the test server exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail(
        f"the test server did not answer {url} within {seconds:.0f} s: {log.read_text()[-2000:]}"
    )


@dataclass
class MastodonServer:
    """A running mastodon-mock: its URL, and its control plane."""

    url: str
    process: subprocess.Popen

    def reset(self) -> None:
        httpx.delete(f"{self.url}/api/v1/_mock/faults", timeout=5).raise_for_status()
        httpx.post(f"{self.url}/api/v1/_mock/reset", timeout=10).raise_for_status()

    def fault(
        self, effect: dict, *, count: int | None = 1, path="/api/v1/statuses", methods=("POST",)
    ):
        rule = {"match": {"methods": list(methods), "path": path}, "effect": effect, "count": count}
        httpx.post(f"{self.url}/api/v1/_mock/faults", json=rule, timeout=5).raise_for_status()

    def clear_faults(self) -> None:
        httpx.delete(f"{self.url}/api/v1/_mock/faults", timeout=5).raise_for_status()

    def me(self, token: str = TOKEN) -> dict:
        response = httpx.get(
            f"{self.url}/api/v1/accounts/verify_credentials",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
        response.raise_for_status()
        return response.json()

    def statuses(self, token: str = TOKEN) -> list[dict]:
        """Every status of the account, newest first (paged through max_id)."""
        account = self.me(token)["id"]
        found: list[dict] = []
        max_id = None
        while True:
            params = {"limit": 40, **({"max_id": max_id} if max_id else {})}
            page = httpx.get(
                f"{self.url}/api/v1/accounts/{account}/statuses",
                params=params,
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            ).json()
            if not page:
                return found
            found.extend(page)
            max_id = page[-1]["id"]


def start_mastodon(home: Path) -> MastodonServer:
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = home / "mock.toml"
    config.write_text(
        f"""
media_storage_path = "{home / "media"}"
[database]
path = "{home / "mock.db"}"
[server]
host = "127.0.0.1"
port = {port}
[faults]
enabled = true
[ratelimit]
enabled = false
[[seed.accounts]]
username = "acme"
display_name = "Acme Coffee"
access_token = "{TOKEN}"
[[seed.accounts]]
username = "other"
display_name = "Someone else"
access_token = "{OTHER_TOKEN}"
"""
    )
    log = home / "server.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mastodon_mock",
            "serve",
            "--config",
            str(config),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=home,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(f"{url}/health", process, log)
    return MastodonServer(url, process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


PDS_DIR = Path(__file__).parent / "pds"


@dataclass
class BlueskyServer:
    """A running reference PDS (with its PLC directory in the same Node process)."""

    url: str
    process: subprocess.Popen

    def account(self, name: str) -> dict:
        """A new account `name`.test with an app password: handle, did, password, app_password."""
        handle = f"{name}.test"
        made = httpx.post(
            f"{self.url}/xrpc/com.atproto.server.createAccount",
            json={"email": f"{name}@example.test", "handle": handle, "password": "a-long-password"},
            timeout=20,
        )
        made.raise_for_status()
        session = made.json()
        app = httpx.post(
            f"{self.url}/xrpc/com.atproto.server.createAppPassword",
            json={"name": "postroom"},
            headers={"Authorization": f"Bearer {session['accessJwt']}"},
            timeout=20,
        )
        app.raise_for_status()
        return {"handle": handle, "did": session["did"], "app_password": app.json()["password"]}

    def posts(self, did: str) -> list[dict]:
        """Every app.bsky.feed.post record in the account's repo."""
        found, cursor = [], None
        while True:
            params = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = httpx.get(
                f"{self.url}/xrpc/com.atproto.repo.listRecords", params=params, timeout=20
            ).json()
            found.extend(page.get("records", []))
            cursor = page.get("cursor")
            if not cursor or not page.get("records"):
                return found


def install_pds() -> None:
    """The PDS from its lockfile, when it is not installed yet (a few minutes the first time)."""
    npm_ci(PDS_DIR, "@atproto/pds", "the test PDS")


def start_pds(home: Path) -> BlueskyServer:
    install_pds()
    home.mkdir(parents=True, exist_ok=True)
    port, plc_port = free_port(), free_port()
    log = home / "pds.log"
    process = subprocess.Popen(
        ["node", "serve.js", str(port), str(plc_port)],
        cwd=PDS_DIR,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "TMPDIR": str(home), "LOG_ENABLED": "false"},
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(f"{url}/xrpc/_health", process, log, seconds=60)
    return BlueskyServer(url, process)
