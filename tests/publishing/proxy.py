"""A fault-injecting pass-through in front of a real server (the reference PDS), on 127.0.0.1.

Every request is forwarded as it is, unless a fault is armed for its XRPC method:
- `hang_after`: forward it (the server does the work), then hold the answer longer than the
  client waits — a timeout whose request did take effect;
- `status_before`: answer with a status without forwarding — the request provably did nothing.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class FaultProxy:
    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.faults: list[tuple[str, str, float | int]] = []  # (method, kind, value)
        self.seen: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def hang_after(self, method: str, seconds: float) -> None:
        self.faults.append((method, "hang_after", seconds))

    def status_before(self, method: str, status: int) -> None:
        self.faults.append((method, "status_before", status))

    def _take(self, method: str):
        for fault in self.faults:
            if fault[0] == method:
                self.faults.remove(fault)
                return fault
        return None

    def start(self) -> FaultProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                method = self.path.split("?")[0].rsplit("/", 1)[-1]
                proxy.seen.append(f"{self.command} {method}")
                fault = proxy._take(method)
                if fault and fault[1] == "status_before":
                    self._answer(fault[2], b'{"error":"InternalServerError"}', {})
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
                answer = httpx.request(
                    self.command,
                    proxy.upstream + self.path,
                    content=body,
                    headers=headers,
                    timeout=30,
                )
                if fault and fault[1] == "hang_after":
                    time.sleep(fault[2])
                out = {k: v for k, v in answer.headers.items() if k.lower() not in HOP}
                out.pop("content-encoding", None)
                self._answer(answer.status_code, answer.content, out)

            def _answer(self, status: int, content: bytes, headers: dict) -> None:
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as it was meant to

            do_GET = do_POST = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
