"""A small fake of Slack's Web API on 127.0.0.1, for slack-sdk's WebClient(base_url=...).

It records every request and keeps posted messages (with thread_ts and metadata) so
conversations.history / conversations.replies can answer look-ups. What chat.postMessage
answers is scripted: each call takes the next behaviour from `script`, else `default`:

- "ok": post, answer 200 with a ts
- ("ratelimit", seconds): 429 with Retry-After, nothing posted
- "error500": 500, nothing posted
- "posted500": post, then answer 500 (Slack failed after posting)
- ("slow", seconds): post, then answer only after `seconds` (past the client's timeout)
- "hang": post, then hold the answer until `release()` (the client gets killed meanwhile)
- ("error", code): 200 with {"ok": false, "error": code}, nothing posted

`history_default` does the same for the look-up methods ("ok", "error500", ("error", code)).
Webhook posts to /hooks/... are accepted or answered per `webhook_status`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str  # the API method, e.g. chat.postMessage
    http: str  # GET | POST
    headers: dict[str, str]
    params: dict
    at: float = field(default_factory=time.time)


class FakeSlack:
    """Start with `FakeSlack().start()`; `url` is the base_url for WebClient."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.messages: list[dict] = []
        self.script: deque = deque()
        self.default: object = "ok"
        self.history_default: object = "ok"
        self.webhook_status = 200
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._last_ts = 0.0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/"
        self.webhook_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/T0/B0/secret"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def release(self) -> None:
        """Let a held ("hang") answer go."""
        self._release.set()

    # -- views for tests -------------------------------------------------------------------

    def calls(self, method: str) -> list[Request]:
        return [r for r in self.requests if r.method == method]

    def wait_for_messages(self, n: int, timeout: float = 10.0) -> None:
        deadline = time.time() + timeout
        while len(self.messages) < n:
            if time.time() > deadline:
                raise TimeoutError(f"{len(self.messages)} messages, wanted {n}")
            time.sleep(0.02)

    # -- behaviour -------------------------------------------------------------------------

    def _next_ts(self) -> str:
        with self._lock:
            ts = max(time.time(), self._last_ts + 0.000001)
            self._last_ts = ts
            return f"{ts:.6f}"

    def _post(self, params: dict) -> dict:
        msg = {"type": "message", "ts": self._next_ts(), "channel": params.get("channel"),
               "text": params.get("text"), "blocks": params.get("blocks"),
               "thread_ts": params.get("thread_ts"), "metadata": params.get("metadata"),
               "params": params}
        if isinstance(msg["blocks"], str):  # form-encoded callers send JSON strings
            msg["blocks"] = json.loads(msg["blocks"])
        if isinstance(msg["metadata"], str):
            msg["metadata"] = json.loads(msg["metadata"])
        with self._lock:
            self.messages.append(msg)
        return msg

    def _post_message(self, params: dict) -> tuple[int, dict, dict]:
        with self._lock:
            behaviour = self.script.popleft() if self.script else self.default
        kind, arg = (behaviour if isinstance(behaviour, tuple) else (behaviour, None))
        if kind == "ratelimit":
            return 429, {"Retry-After": str(arg)}, {"ok": False, "error": "ratelimited"}
        if kind == "error500":
            return 500, {}, {"ok": False, "error": "internal_error"}
        if kind == "error":
            return 200, {}, {"ok": False, "error": arg}
        msg = self._post(params)
        if kind == "posted500":
            return 500, {}, {"ok": False, "error": "internal_error"}
        if kind == "slow":
            time.sleep(float(arg))
        if kind == "hang":
            self._release.wait(30)
        return 200, {}, {"ok": True, "channel": params.get("channel"), "ts": msg["ts"],
                         "message": {"text": msg["text"], "ts": msg["ts"]}}

    def _lookup(self, method: str, params: dict) -> tuple[int, dict, dict]:
        behaviour = self.history_default
        kind, arg = (behaviour if isinstance(behaviour, tuple) else (behaviour, None))
        if kind == "error500":
            return 500, {}, {"ok": False, "error": "internal_error"}
        if kind == "error":
            return 200, {}, {"ok": False, "error": arg}
        oldest = float(params.get("oldest") or 0)
        channel = params.get("channel")
        with self._lock:
            msgs = [m for m in self.messages if m["channel"] == channel and float(m["ts"]) > oldest]
        if method == "conversations.history":
            msgs = [m for m in msgs if not m["thread_ts"]]  # replies are not in history
        else:
            ts = params.get("ts")
            msgs = [m for m in msgs if m["ts"] == ts or m["thread_ts"] == ts]
        include = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        out = [{k: v for k, v in m.items() if k not in ("params",) and (include or k != "metadata")}
               for m in sorted(msgs, key=lambda m: m["ts"], reverse=True)]
        return 200, {}, {"ok": True, "messages": out, "has_more": False,
                         "response_metadata": {"next_cursor": ""}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _params(self) -> dict:
                query = dict(parse_qsl(urlsplit(self.path).query))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if raw and "json" in ctype:
                    query.update(json.loads(raw))
                elif raw:
                    query.update(dict(parse_qsl(raw.decode("utf-8"))))
                return query

            def _answer(self, status: int, headers: dict, body: dict | str) -> None:
                data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8"
                                     if not isinstance(body, str) else "text/plain")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timed out or was killed)

            def _handle(self, http: str) -> None:
                params = self._params()
                path = urlsplit(self.path).path
                if path.startswith("/hooks/"):
                    fake.requests.append(Request("webhook", http, dict(self.headers), params))
                    if fake.webhook_status == 200:
                        fake._post({**params, "channel": "webhook"})
                        self._answer(200, {}, "ok")
                    else:
                        self._answer(fake.webhook_status, {}, "invalid_token")
                    return
                method = path.rsplit("/", 1)[-1]
                fake.requests.append(Request(method, http, dict(self.headers), params))
                if method == "chat.postMessage":
                    self._answer(*fake._post_message(params))
                elif method in ("conversations.history", "conversations.replies"):
                    self._answer(*fake._lookup(method, params))
                elif method == "auth.test":
                    self._answer(200, {}, {"ok": True, "user_id": "U0BOT", "team_id": "T0"})
                else:
                    self._answer(200, {}, {"ok": False, "error": "unknown_method"})

            def do_POST(self) -> None:
                self._handle("POST")

            def do_GET(self) -> None:
                self._handle("GET")

        return Handler
