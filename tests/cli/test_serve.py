"""`levelup serve`, the heart of `make run`: a fresh data directory becomes a running product.

No database, no cache and no roadmap exist beforehand; the command must create the SQLite
database, load the built-in roadmap and answer real HTTP with it.
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
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def test_serve_on_an_empty_data_dir_runs_the_product_with_the_builtin_roadmap(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env["LEVELUP_DATA_DIR"] = str(tmp_path / "data")
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "levelup.cli", "serve", "--port", str(port), "--workers", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "levelup serve did not answer in time"
                time.sleep(0.3)
        assert status == 200
        assert "Junior to Senior Backend Engineer" in body
        status, body = _get(f"http://127.0.0.1:{port}/roadmaps/backend-junior-to-senior/")
        assert status == 200
        assert "12-Month Checkpoint" in body
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/roadmaps/backend-junior-to-senior")
        assert status == 200
        roadmap = json.loads(body)
        phases = roadmap["phases"]
        assert [(p["month_start"], p["month_end"]) for p in phases] == [
            (1, 6),
            (3, 9),
            (7, 12),
            (10, 18),
            (16, 24),
        ]
        topics = [t for p in phases for s in p["sections"] for t in s["topics"]]
        assert len(topics) == 20
        assert sum(len(t["subtopics"]) for t in topics) == 104
        assert len(roadmap["projects"]) == 12
        assert len(roadmap["checkpoints"]) == 4
        assert sum(len(c["criteria"]) for c in roadmap["checkpoints"]) == 16
        schedule = roadmap["weekly_schedule"]
        assert (schedule["min_hours"], schedule["max_hours"]) == (10, 15)
        assert len(schedule["categories"]) == 3
        # DEBUG is off without any setting: a wrong address gets the product's own 404 page,
        # not Django's debug page listing every URL pattern.
        try:
            _get(f"http://127.0.0.1:{port}/no-such-page/")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            page = error.read().decode()
            assert "There is nothing here" in page
            assert "URLconf" not in page and "urlpatterns" not in page
        else:
            raise AssertionError("a wrong address answered 200")
        output = (tmp_path / "serve.log").read_text()
        assert f"levelup is running at http://127.0.0.1:{port}/" in output
        assert "roadmap backend-junior-to-senior v1: loaded" in output
        assert "demo" in output and "/accounts/signup/" in output
        assert (tmp_path / "data" / "levelup.sqlite3").is_file()
        assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
