"""Fixtures for driving the `levelup` CLI as a subprocess against a real server.

`live_server` (pytest-django) serves the test database over HTTP on
127.0.0.1 from a thread; the CLI runs as `python -m levelup.cli` with HOME and
the XDG directories in a temporary folder, so nothing touches the real home.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass
class Run:
    """A finished CLI invocation."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@dataclass
class Home:
    """A learner's machine: a private HOME with config and cache folders."""

    root: Path
    env: dict[str, str]

    @property
    def config_file(self) -> Path:
        return self.root / "config" / "levelup" / "config.toml"

    @property
    def cache_dir(self) -> Path:
        return self.root / "cache" / "levelup"

    def run(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "levelup.cli", *args],
            env={**self.env, **(env or {})},
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=self.root,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def write_config(self, url: str, token: str) -> None:
        self.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(f'url = "{url}"\ntoken = "{token}"\n')
        self.config_file.chmod(0o600)


@pytest.fixture
def home(tmp_path: Path) -> Home:
    root = tmp_path / "home"
    root.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    # Django settings must not leak into the CLI: it must work without them.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        HOME=str(root),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "cache"),
        COLUMNS="120",
        NO_COLOR="1",
        EDITOR="false",
    )
    env.pop("VISUAL", None)
    return Home(root=root, env=env)


@dataclass
class Learner:
    """Alice, enrolled in a roadmap, with a write token, on a live server."""

    url: str
    token: str
    user: Any
    enrollment: Any
    document: Any
    token_id: int
    topic: str
    subtopic: str
    categories: list[str]

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Look at the server directly, as a second client would."""
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.request(
            method, f"{self.url}/api/v1{path}", headers=headers, timeout=10, **kwargs
        )

    def sessions(self) -> list[dict[str, Any]]:
        response = self.api("GET", f"/enrollments/{self.enrollment.id}/sessions")
        assert response.status_code == 200, response.text
        data = response.json()
        return data["items"] if isinstance(data, dict) else data


def _load_roadmap() -> Any:
    from levelup.roadmaps.services import builtin_roadmaps_load, roadmap_load_file

    try:
        results = builtin_roadmaps_load()
    except Exception:
        results = []
    if results:
        return results[0].roadmap
    # The built-in file is being written; the tiny test roadmap has the same shape.
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"
    return roadmap_load_file(path=fixture).roadmap


@pytest.fixture
def learner(live_server: Any, transactional_db: Any) -> Learner:
    from levelup.accounts.models import User
    from levelup.accounts.tokens import api_token_create
    from levelup.progress.models import Enrollment
    from levelup.roadmaps.selectors import document_for

    roadmap = _load_roadmap()
    version = roadmap.current_version
    document = document_for(version)
    user = User.objects.create_user(
        username="alice", email="alice@example.com", display_name="Alice", time_zone="Europe/Berlin"
    )
    start = dt.date.today() - dt.timedelta(days=200)
    enrollment = Enrollment.objects.create(
        user=user, roadmap=roadmap, version=version, start_date=start, weekly_hours=12.5
    )
    issued = api_token_create(user=user, name="cli tests", can_write=True)
    topic = next(
        key
        for key, item in document.items.items()
        if item.kind == "topic" and document.subtopic_keys(key)
    )
    categories = [c.slug for c in document.weekly_schedule.categories]
    return Learner(
        url=live_server.url,
        token=issued.secret,
        user=user,
        enrollment=enrollment,
        document=document,
        token_id=issued.token.pk,
        topic=topic,
        subtopic=document.subtopic_keys(topic)[0],
        categories=categories,
    )


@pytest.fixture
def logged_in(home: Home, learner: Learner) -> Home:
    home.write_config(learner.url, learner.token)
    return home


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Proxy:
    """A tiny HTTP proxy in front of the live server that can misbehave on purpose.

    `drop_posts`: the next N POSTs are forwarded to the server, then the
    connection is closed without an answer (the server did the work, the
    client never heard). `fail_with`: answer every request with this status.
    """

    upstream: str
    drop_posts: int = 0
    fail_with: int | None = None
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


def _handler_for(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    target = urlsplit(proxy.upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            proxy.seen.append((self.command, self.path, headers))
            if proxy.fail_with is not None:
                payload = b"<h1>Server Error</h1>"
                self.send_response(proxy.fail_with)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
            upstream.close()
            if self.command == "POST" and proxy.drop_posts > 0:
                proxy.drop_posts -= 1
                self.close_connection = True
                return
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    return Handler


@pytest.fixture
def proxy_for() -> Iterator[Callable[..., Proxy]]:
    servers: list[ThreadingHTTPServer] = []

    def start(upstream: str, **options: Any) -> Proxy:
        proxy = Proxy(upstream=upstream, **options)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(proxy))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
        return proxy

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
