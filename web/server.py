"""Serving the site with uvicorn: in the foreground (`onrecord web`) or on a background thread
(`onrecord demo --web`, tests), on loopback unless told otherwise."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from store import Store
from web.app import WebSettings, create_app

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8040


class BindRefused(ValueError):
    """A public address without an access token."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name other than localhost may resolve anywhere


def check_bind(host: str, settings: WebSettings, insecure_public: bool = False) -> None:
    """Refuse to serve the store beyond this machine with no token, unless asked to."""
    if not is_loopback(host) and not settings.token and not insecure_public:
        raise BindRefused(f"refusing to serve on {host} without an access token: set "
                          "ONRECORD_WEB_TOKEN (see deploy/README.md), or pass "
                          "--insecure-public to serve the store to anyone who can reach it")


def _config(store: Store, settings: WebSettings, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(create_app(store, settings), host=host, port=port, log_level="warning",
                          access_log=False, server_header=False, proxy_headers=False)


def serve(store: Store, settings: WebSettings, host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT, insecure_public: bool = False) -> None:
    """Serve until interrupted."""
    check_bind(host, settings, insecure_public)
    uvicorn.Server(_config(store, settings, host, port)).run()


@dataclass
class Running:
    """A site served on a background thread; `stop()` ends it."""

    server: uvicorn.Server
    thread: threading.Thread
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(store: Store, settings: WebSettings | None = None, host: str = DEFAULT_HOST,
          port: int = 0, insecure_public: bool = False) -> Running:
    """Serve on a thread; port 0 takes a free port. Returns once the site answers."""
    settings = settings or WebSettings()
    check_bind(host, settings, insecure_public)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    server = uvicorn.Server(_config(store, settings, host, sock.getsockname()[1]))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="onrecord-web")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    return Running(server, thread, host, sock.getsockname()[1])
