"""A minimal Slack Web API on loopback for flow tests: records chat.postMessage calls."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSlack:
    """Answers POST /api/chat.postMessage with ok and a ts; `messages` holds the JSON bodies."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.tokens: list[str] = []
        lock = threading.Lock()
        slack = self

        class _H(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path.rstrip("/") != "/api/chat.postMessage":
                    reply = {"ok": False, "error": "unknown_method"}
                else:
                    try:
                        body = json.loads(raw or b"{}")
                    except ValueError:
                        body = {"raw": raw.decode("utf-8", "replace")}
                    with lock:
                        slack.messages.append(body)
                        slack.tokens.append(self.headers.get("Authorization", ""))
                        ts = f"{time.time():.6f}"
                    reply = {"ok": True, "channel": body.get("channel"), "ts": ts}
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self.httpd.daemon_threads = True
        self.api_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def texts(self) -> list[str]:
        """Every message as one string (text fallback plus blocks), for assertions."""
        return [json.dumps(m, ensure_ascii=False) for m in self.messages]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
