"""Two `levelup serve --no-migrate` processes, one database, one Redis: nothing that one
server needs lives only in the other's memory.

A write through one server is read through the other (including the dashboard,
whose figures are cached), a browser session signed in on one is signed in on the
other, and a sign-in lockout counted on one holds on the other.

Needs Redis on 127.0.0.1:6379 (or LEVELUP_TEST_REDIS_URL); it uses database 15 and
flushes only that one. Without Redis it skips, except in CI, where it fails.
The database is the suite's own on PostgreSQL, one SQLite file otherwise; each server has
its own data directory, so only the database and Redis can carry anything between them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REDIS_URL = os.environ.get("LEVELUP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
STARTUP_SECONDS = 90
PASSWORD = "two-servers-password-1"
FAILURE_LIMIT = 3


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must run in CI ({REDIS_URL}): {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class Answer:
    status: int
    headers: Any
    body: str

    def json(self) -> Any:
        return json.loads(self.body)

    def cookie(self, name: str) -> str | None:
        for value in self.headers.get_all("Set-Cookie") or []:
            key, _, rest = value.partition("=")
            if key.strip() == name:
                return rest.split(";", 1)[0]
        return None


def _call(
    url: str,
    method: str = "GET",
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _opener.open(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.headers, exc.read().decode())


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def api(self, method: str, path: str, token: str, payload: Any = None) -> Answer:
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        return _call(f"{self.url}/api/v1{path}", method, data=data, headers=headers)

    def sign_in(self, username: str, password: str) -> Answer:
        form = _call(f"{self.url}/accounts/login/")
        csrf = form.cookie("csrftoken") or ""
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
        ).encode()
        return _call(
            f"{self.url}/accounts/login/",
            "POST",
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )


def _database_env(tmp_path: Path) -> dict[str, str]:
    """Where both servers keep their data: the suite's PostgreSQL test database (committed
    through `transactional_db`), else one SQLite file outside both data directories."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from levelup.roadmaps.services import builtin_roadmaps_load

        builtin_roadmaps_load()
        db = connection.settings_dict
        auth = urllib.parse.quote(db["USER"] or "")
        if db.get("PASSWORD"):
            auth += ":" + urllib.parse.quote(db["PASSWORD"])
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return {"DATABASE_URL": f"postgres://{auth}@{host}/{db['NAME']}"}
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}"}


def _start(env: dict[str, str], log: Path) -> Server:
    port = _free_port()
    # Each server its own data directory (its own file cache, static files, logs):
    # whatever they share, they share through the database and Redis.
    env = {**env, "LEVELUP_DATA_DIR": str(log.with_suffix(""))}
    process = subprocess.Popen(
        [sys.executable, "-m", "levelup.cli", "serve", "--no-migrate", "--port", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    return Server(f"http://127.0.0.1:{port}", process)


def _wait(server: Server, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if _call(f"{server.url}/api/v1/health").status == 200:
                return
        except OSError:
            pass
        assert server.process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"no answer in time: {log.read_text()}"
        time.sleep(0.3)


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)


@dataclass
class Pair:
    a: Server
    b: Server
    token: str
    username: str
    redis: Any


@pytest.fixture
def two_servers(tmp_path: Path, transactional_db: Any) -> Iterator[Pair]:
    redis = _redis()
    redis.flushdb()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LEVELUP_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        LEVELUP_DATA_DIR=str(tmp_path / "data"),
        REDIS_URL=REDIS_URL,
        SECRET_KEY="two-servers-share-one-secret-" + "x" * 40,
        LEVELUP_LOGIN_FAILURE_LIMIT=str(FAILURE_LIMIT),
        DJANGO_SETTINGS_MODULE="levelup.settings",
    )
    env.update(_database_env(tmp_path))

    def operator(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "levelup.cli", *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    if env["DATABASE_URL"].startswith("sqlite"):
        operator("migrate")
    operator("user", "create", "carol", "--password-stdin", stdin=PASSWORD + "\n")
    token = next(
        w
        for w in operator("token", "create", "carol", "--name", "t", "--write").split()
        if w.startswith("lvl_")
    )
    logs = (tmp_path / "a.log", tmp_path / "b.log")
    a, b = _start(env, logs[0]), _start(env, logs[1])
    try:
        _wait(a, logs[0])
        _wait(b, logs[1])
        yield Pair(a, b, token, "carol", redis)
    finally:
        _stop(a)
        _stop(b)
        redis.flushdb()


def test_two_servers_share_writes_sessions_and_lockouts(two_servers: Pair) -> None:
    # One pair of servers for all three checks: starting them is most of the cost.
    _a_write_through_one_server_is_read_through_the_other(two_servers)
    _a_browser_session_from_one_server_is_signed_in_on_the_other(two_servers)
    _a_lockout_counted_on_one_server_holds_on_the_other(two_servers)


def _a_write_through_one_server_is_read_through_the_other(two_servers: Pair) -> None:
    a, b, token = two_servers.a, two_servers.b, two_servers.token
    slug = a.api("GET", "/roadmaps", token).json()[0]["slug"]
    created = a.api("POST", "/enrollments", token, {"roadmap": slug})
    assert created.status == 201, created.body
    enrollment = created.json()["id"]
    document = b.api("GET", f"/roadmaps/{slug}", token).json()
    category = document["weekly_schedule"]["categories"][0]["slug"]
    topic = document["phases"][0]["sections"][0]["topics"][0]["slug"]
    base = f"/enrollments/{enrollment}"

    # B reads (and caches) the dashboard and the plan before the writes...
    before = b.api("GET", f"{base}/dashboard", token).json()
    assert before["counts"]["in_progress"] == 0
    plan_before = b.api("GET", f"{base}/plan", token)
    assert plan_before.status == 200, plan_before.body
    logged = a.api("POST", f"{base}/sessions", token, {"minutes": 95, "category": category})
    assert logged.status == 201, logged.body
    changed = a.api("PUT", f"{base}/items/topic:{topic}", token, {"status": "in_progress"})
    assert changed.status == 200, changed.body

    # ...and sees what was written through A on its very next reads.
    sessions = b.api("GET", f"{base}/sessions", token).json()
    assert [s["minutes"] for s in sessions["items"]] == [95]
    after = b.api("GET", f"{base}/dashboard", token).json()
    assert after["counts"]["in_progress"] == 1
    assert f"topic:{topic}" in [a.get("item_key") for a in after["recent_activity"]]
    plan_after = b.api("GET", f"{base}/plan", token).json()
    assert plan_after != plan_before.json()
    items = {i["key"]: i for i in plan_after["items"]}
    assert items[f"topic:{topic}"]["status"] == "in_progress"

    # The cache both servers use is Redis (database 15), not a file of one of them.
    assert two_servers.redis.dbsize() > 0


def _a_browser_session_from_one_server_is_signed_in_on_the_other(two_servers: Pair) -> None:
    signed_in = two_servers.a.sign_in(two_servers.username, PASSWORD)
    assert signed_in.status == 302, signed_in.body
    session = signed_in.cookie("sessionid")
    assert session
    page = _call(
        f"{two_servers.b.url}/accounts/profile/", headers={"Cookie": f"sessionid={session}"}
    )
    assert page.status == 200
    assert "carol" in page.body
    anonymous = _call(f"{two_servers.b.url}/accounts/profile/")
    assert anonymous.status == 302  # to the sign-in page


def _a_lockout_counted_on_one_server_holds_on_the_other(two_servers: Pair) -> None:
    for _ in range(FAILURE_LIMIT):
        refused = two_servers.a.sign_in(two_servers.username, "wrong password, again")
        assert refused.status == 422
    # The right password, on the other server: still locked.
    locked = two_servers.b.sign_in(two_servers.username, PASSWORD)
    assert locked.status == 422
    assert "Too many failed sign-ins" in locked.body
    assert locked.cookie("sessionid") is None
