"""Load test: requests per second and latency per endpoint against a real server.

    .venv/bin/python bench/load.py [--seconds 3] [--connections 1,32] [--others 0]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/levelup_load .venv/bin/python bench/load.py

Starts a server as `make run` does (`levelup serve`: migrations, gunicorn with 2
workers) on a free port of 127.0.0.1, in a temporary data directory (SQLite) or
on DATABASE_URL (PostgreSQL; the database must exist, learners get fresh names).
It builds the two-year learner over the API: enrolled 730 days ago, 3,000 study
sessions imported as CSV, 600 item changes through PUT; `--others N` adds
learners with a year of history each, and connections take turns among them.

Then, for each connection count, each endpoint alone for `--seconds` (its own
capacity) and then a mix of all of them: /api/v1/health, the dashboard API and
page, the plan API, the weekly review, POST a study session, PUT an item. Every
connection is one thread with one keep-alive HTTP/1.1 connection (standard
library only). Prints requests per second, p50 and p95 per endpoint, and each
endpoint's throughput over /api/v1/health's from the same run.

`--url URL --token TOKEN --username U --password P` targets a running server
and an existing learner instead (nothing is built; the learner's active
enrollment is used).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import http.client
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BIN = Path(sys.executable).parent
PASSWORD = "load-test-password-123"


def levelup(*args: str) -> list[str]:
    exe = BIN / "levelup"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "levelup.cli", *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


# --- HTTP ----------------------------------------------------------------------------


class Connection:
    """One keep-alive connection; reconnects after the server closes it."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = headers or {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(
                    method, path, body=body, headers={**self.headers, **(headers or {})}
                )
                answer = self.conn.getresponse()
                content = answer.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            if answer.will_close:
                self.conn.close()
                self.conn = None
            return answer.status, answer.msg, content
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, payload: object = None, **headers: str) -> object:
        body = None if payload is None else json.dumps(payload).encode()
        sent = {"Content-Type": "application/json", **headers} if body is not None else headers
        status, _, content = self.request(method, path, body, sent)
        if status >= 400:
            raise SystemExit(f"{method} {path} answered {status}: {content[:300]!r}")
        return json.loads(content) if content else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


@dataclass
class Learner:
    username: str
    token: str
    enrollment: int
    cookie: str = ""
    categories: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)

    def api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}


def sign_in(url: str, username: str, password: str) -> str:
    """A session cookie from the sign-in form, as a browser gets it."""
    conn = Connection(url)
    status, headers, _ = conn.request("GET", "/accounts/login/")
    cookies = _cookies(headers)
    csrf = cookies.get("csrftoken", "")
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf})
    status, headers, body = conn.request(
        "POST",
        "/accounts/login/",
        form.encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"{url}/accounts/login/",
        },
    )
    conn.close()
    after = _cookies(headers)
    session = after.get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"sign-in as {username} failed ({status}): {body[:200]!r}")
    # Both cookies, as a browser keeps them (sign-in rotates the CSRF token).
    return f"sessionid={session}; csrftoken={after.get('csrftoken', csrf)}"


def _cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    found = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


# --- building learners -----------------------------------------------------------------


def roadmap_facts(conn: Connection) -> tuple[str, list[str], list[str]]:
    roadmaps = conn.json("GET", "/api/v1/roadmaps")
    assert isinstance(roadmaps, list)
    slug = roadmaps[0]["slug"]
    document = conn.json("GET", f"/api/v1/roadmaps/{slug}")
    assert isinstance(document, dict)
    categories = [c["slug"] for c in document["weekly_schedule"]["categories"]]
    items = []
    for phase in document["phases"]:
        for section in phase["sections"]:
            for topic in section["topics"]:
                items.append(f"topic:{topic['slug']}")
                items += [f"topic:{topic['slug']}/{sub['slug']}" for sub in topic["subtopics"]]
    items += [f"project:{p['slug']}" for p in document.get("projects") or []]
    return slug, categories, items


def sessions_csv(
    rng: random.Random, days: int, count: int, categories: list[str], items: list[str]
) -> str:
    today = dt.date.today()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "start_time", "minutes", "category", "item_key", "note"])
    for n in range(count):
        day = today - dt.timedelta(days=days - 1 - n * days // count)
        writer.writerow(
            [
                day.isoformat(),
                f"{rng.randint(6, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}",
                rng.choice((25, 30, 45, 60, 90)),
                rng.choice(categories),
                rng.choice(items) if rng.random() < 0.6 else "",
                f"session {n}",
            ]
        )
    return out.getvalue()


def create_account(env: dict[str, str], username: str) -> str:
    subprocess.run(
        levelup("user", "create", username, "--password-stdin"),
        env=env,
        input=f"{PASSWORD}\n".encode(),
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        levelup("token", "create", username, "--name", "load", "--write"),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return next(word for word in out.split() if word.startswith("lvl_"))


def build_learner(
    url: str,
    env: dict[str, str],
    username: str,
    *,
    days: int,
    sessions: int,
    changes: int,
    seed: int,
) -> Learner:
    rng = random.Random(seed)
    token = create_account(env, username)
    conn = Connection(url, {"Authorization": f"Bearer {token}"})
    slug, categories, items = roadmap_facts(conn)
    start = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    enrollment = conn.json("POST", "/api/v1/enrollments", {"roadmap": slug, "start_date": start})
    assert isinstance(enrollment, dict)
    base = f"/api/v1/enrollments/{enrollment['id']}"
    body = sessions_csv(rng, days, sessions, categories, items).encode()
    status, _, content = conn.request(
        "POST", f"{base}/sessions/import", body, {"Content-Type": "text/csv"}
    )
    if status != 200:
        raise SystemExit(f"CSV import answered {status}: {content[:300]!r}")
    # Item changes in roadmap order, as a learner works through it: start, then finish.
    for n in range(changes):
        key = items[(n // 2) % len(items)]
        state = "in_progress" if n % 2 == 0 else rng.choice(("done", "done", "done", "skipped"))
        conn.json("PUT", f"{base}/items/{key}", {"status": state})
    conn.close()
    learner = Learner(username, token, int(enrollment["id"]), categories=categories, items=items)
    learner.cookie = sign_in(url, username, PASSWORD)
    return learner


def existing_learner(url: str, token: str, username: str, password: str) -> Learner:
    conn = Connection(url, {"Authorization": f"Bearer {token}"})
    rows = conn.json("GET", "/api/v1/enrollments")
    assert isinstance(rows, list)
    active = [r for r in rows if r.get("status") == "active"] or rows
    if not active:
        raise SystemExit(f"{username} has no enrollment")
    _, categories, items = roadmap_facts(conn)
    conn.close()
    learner = Learner(username, token, int(active[0]["id"]), categories=categories, items=items)
    learner.cookie = sign_in(url, username, password)
    return learner


# --- the endpoints -----------------------------------------------------------------------

Request = tuple[str, str, bytes | None, dict[str, str]]


def _api(learner: Learner, method: str, path: str, payload: object = None) -> Request:
    headers = learner.api_headers()
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    return method, f"/api/v1/enrollments/{learner.enrollment}{path}", body, headers


ENDPOINTS: dict[str, Callable[[Learner, random.Random], Request]] = {
    "GET /api/v1/health": lambda learner, rng: ("GET", "/api/v1/health", None, {}),
    "GET dashboard API": lambda learner, rng: _api(learner, "GET", "/dashboard"),
    "GET dashboard page": lambda learner, rng: (
        "GET",
        f"/dashboard/?enrollment={learner.enrollment}",
        None,
        {"Cookie": learner.cookie},
    ),
    "GET plan API": lambda learner, rng: _api(learner, "GET", "/plan"),
    "GET weekly review API": lambda learner, rng: _api(learner, "GET", "/weekly-review"),
    "POST study session": lambda learner, rng: _api(
        learner,
        "POST",
        "/sessions",
        {"minutes": rng.choice((15, 30, 45)), "category": rng.choice(learner.categories)},
    ),
    "PUT item status": lambda learner, rng: _api(
        learner,
        "PUT",
        f"/items/{rng.choice(learner.items)}",
        {"status": rng.choice(("in_progress", "done"))},
    ),
}
# The mix: mostly reads, as learners use it (open the dashboard many times, write a few).
MIX = {
    "GET /api/v1/health": 5,
    "GET dashboard API": 20,
    "GET dashboard page": 25,
    "GET plan API": 15,
    "GET weekly review API": 15,
    "POST study session": 10,
    "PUT item status": 10,
}


@dataclass
class Result:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def drive(
    url: str, learners: list[Learner], names: dict[str, int], connections: int, seconds: float
) -> Result:
    """`connections` threads, each with its own connection, for `seconds`."""
    result = Result()
    lock = threading.Lock()
    start_line = threading.Barrier(connections + 1)
    population = list(names)
    weights = [names[n] for n in population]

    def worker(index: int) -> None:
        rng = random.Random(index)
        learner = learners[index % len(learners)]
        conn = Connection(url)
        times: dict[str, list[float]] = {n: [] for n in population}
        errors: dict[str, int] = {}
        start_line.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            name = rng.choices(population, weights)[0]
            method, path, body, headers = ENDPOINTS[name](learner, rng)
            if method == "POST":
                headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
            began = time.perf_counter()
            try:
                status, _, _ = conn.request(method, path, body, headers)
            except (http.client.HTTPException, OSError):
                status = 599
            elapsed = time.perf_counter() - began
            if status >= 400:
                errors[name] = errors.get(name, 0) + 1
            else:
                times[name].append(elapsed)
        conn.close()
        with lock:
            for name, values in times.items():
                result.latencies.setdefault(name, []).extend(values)
            for name, count in errors.items():
                result.errors[name] = result.errors.get(name, 0) + count

    with ThreadPoolExecutor(max_workers=connections) as pool:
        futures = [pool.submit(worker, i) for i in range(connections)]
        start_line.wait()
        began = time.perf_counter()
        for future in futures:
            future.result()
        result.seconds = time.perf_counter() - began
    return result


def print_table(title: str, rows: list[tuple[str, Result]], ratios: bool = True) -> None:
    print(f"\n{title}")
    print(
        f"  {'endpoint':<24}{'requests':>9}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'rps ÷ health':>14}{'errors':>8}"
    )
    stats = []
    for name, result in rows:
        values = result.latencies.get(name, [])
        rps = len(values) / result.seconds if result.seconds else 0.0
        stats.append((name, len(values), rps, values, result.errors.get(name, 0)))
    health = next((s[2] for s in stats if s[0] == "GET /api/v1/health"), 0.0)
    for name, count, rps, values, errors in stats:
        ratio = f"{rps / health:.2f}" if health and ratios else "-"
        print(
            f"  {name:<24}{count:>9}{rps:>9.1f}{percentile(values, 0.5) * 1000:>9.1f}"
            f"{percentile(values, 0.95) * 1000:>9.1f}{ratio:>14}{errors:>8}"
        )


# --- server --------------------------------------------------------------------------------


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        levelup("serve", "--port", str(port), "--workers", str(workers)),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            status, _, _ = Connection(url).request("GET", "/api/v1/health")
            if status == 200:
                return server, url
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    raise SystemExit("the server did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per endpoint and per mix")
    parser.add_argument("--connections", default="1,32", help="comma-separated connection counts")
    parser.add_argument("--others", type=int, default=0, help="extra learners (a year each)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--changes", type=int, default=600)
    parser.add_argument("--url", help="target this running server instead of starting one")
    parser.add_argument("--token")
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--no-mix", action="store_true", help="endpoints alone only")
    parser.add_argument(
        "--no-read-cache",
        action="store_true",
        help="start the server with LEVELUP_READ_CACHE=0 (to compare, same conditions)",
    )
    options = parser.parse_args()
    levels = [int(n) for n in options.connections.split(",") if n.strip()]

    root = Path(tempfile.mkdtemp(prefix="levelup-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    env.update(LEVELUP_DATA_DIR=str(root / "data"), HOME=str(root))
    if options.no_read_cache:
        env["LEVELUP_READ_CACHE"] = "0"
    server = None
    try:
        if options.url:
            if not (options.token and options.username and options.password):
                raise SystemExit("--url needs --token, --username and --password")
            url = options.url.rstrip("/")
            learners = [existing_learner(url, options.token, options.username, options.password)]
            where = url
        else:
            began = time.perf_counter()
            server, url = start_server(env, options.workers)
            tag = uuid.uuid4().hex[:6]
            learners = [
                build_learner(
                    url,
                    env,
                    f"load-{tag}-0",
                    days=730,
                    sessions=options.sessions,
                    changes=options.changes,
                    seed=0,
                )
            ]
            with ThreadPoolExecutor(max_workers=4) as pool:
                learners += pool.map(
                    lambda n: build_learner(
                        url, env, f"load-{tag}-{n}", days=365, sessions=600, changes=120, seed=n
                    ),
                    range(1, options.others + 1),
                )
            database = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
            cached = "off" if options.no_read_cache else "on"
            where = (
                f"{url}, {database}, levelup serve --workers {options.workers}, read cache {cached}"
            )
            print(
                f"built {len(learners)} learner(s) in {time.perf_counter() - began:.1f} s "
                f"(the first: enrolled 730 days ago, {options.sessions} sessions by CSV, "
                f"{options.changes} item changes by PUT)"
            )
        print(f"server: {where}; {options.seconds:g} s per row; load from this machine's threads")
        for connections in levels:
            rows = []
            for name in ENDPOINTS:
                rows.append((name, drive(url, learners, {name: 1}, connections, options.seconds)))
            print_table(f"{connections} connection(s), each endpoint alone:", rows)
            if not options.no_mix:
                mix = drive(url, learners, MIX, connections, options.seconds)
                total = sum(len(v) for v in mix.latencies.values())
                print_table(
                    f"{connections} connection(s), the mix ({total / mix.seconds:.1f} rps in all; "
                    "rps here is each endpoint's share):",
                    [(name, mix) for name in ENDPOINTS],
                    ratios=False,
                )
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
