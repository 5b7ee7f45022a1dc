"""`levelup serve`, the heart of `make run`: a fresh data directory becomes a running product.

No database, no cache and no roadmap exist beforehand; the command must create the SQLite
database, load the built-in roadmap and answer real HTTP with it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from levelup.cli.serving import control_socket_for

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
        # Nobody else on the machine may read the database or enter the data directory.
        assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
        for path in (tmp_path / "data").glob("levelup.sqlite3*"):
            assert path.stat().st_mode & 0o777 == 0o600, path.name
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()


# --- Operations: any working directory, one control socket each, a clean access log ---


def _clean_env(home: Path, data_dir: str | Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith("LEVELUP_")
    }
    # gunicorn's own default control socket lives under HOME or XDG_RUNTIME_DIR.
    env.pop("XDG_RUNTIME_DIR", None)
    env.update(HOME=str(home), LEVELUP_DATA_DIR=str(data_dir))
    return env


class Server:
    """`levelup serve` in a subprocess of its own session, stopped on exit."""

    def __init__(self, cwd: Path, env: dict[str, str], *args: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output = cwd / f"serve-{self.port}.log"
        self._log = self.output.open("w+")
        # The installed command, as an operator runs it (`python -m` would itself put
        # the working directory first on sys.path).
        command = str(Path(sys.executable).parent / "levelup")
        self.process = subprocess.Popen(
            [command, "serve", "--port", str(self.port), "--workers", "1", *args],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                _get(f"{self.url}/api/v1/health")
                return
            except urllib.error.HTTPError:
                return  # it answered, even if not with 200
            except OSError:
                assert self.process.poll() is None, self.output.read_text()
                assert time.monotonic() < deadline, "levelup serve did not answer in time"
                time.sleep(0.3)

    def status(self, path: str, **headers: str) -> int:
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        self._log.close()


@pytest.mark.parametrize("folder", ["empty", "another-package"])
def test_serve_works_from_a_directory_holding_a_levelup_folder(tmp_path: Path, folder: str) -> None:
    workdir = tmp_path / "projects"
    (workdir / "levelup").mkdir(parents=True)
    if folder == "another-package":
        # Another project's package of the same name, and a gunicorn config file that
        # would stop the server if gunicorn read it from the working directory.
        (workdir / "levelup" / "__init__.py").write_text("NOT_LEVELUP = True\n")
        (workdir / "gunicorn.conf.py").write_text("raise SystemExit('read from the cwd')\n")
    # A relative data directory means relative to where `serve` was started.
    server = Server(workdir, _clean_env(tmp_path, "data"))
    try:
        server.wait_until_up()
        assert server.status("/api/v1/health") == 200
        assert server.status("/") == 200
        assert (workdir / "data" / "levelup.sqlite3").is_file()
    finally:
        server.stop()
    assert "Traceback" not in server.output.read_text()


def test_each_instance_has_its_own_control_socket(tmp_path: Path) -> None:
    env = _clean_env(tmp_path, tmp_path / "data")
    first = Server(tmp_path, env)
    second: Server | None = None
    try:
        first.wait_until_up()
        second = Server(tmp_path, env, "--no-migrate")
        second.wait_until_up()
        sockets = []
        for server in (first, second):
            announced = [
                line.removeprefix("control socket: ").split("  ")[0]
                for line in server.output.read_text().splitlines()
                if line.startswith("control socket: ")
            ]
            assert len(announced) == 1, server.output.read_text()
            socket_path = Path(announced[0])
            assert socket_path == control_socket_for(
                tmp_path / "data", "127.0.0.1", server.port, env
            )
            sockets.append(socket_path)
            # The master opens it once its workers are spawned, maybe after the first answer.
            deadline = time.monotonic() + STARTUP_SECONDS
            while not socket_path.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert stat.S_ISSOCK(socket_path.stat().st_mode)
            assert stat.S_IMODE(socket_path.stat().st_mode) == 0o600
            gunicornc = str(Path(sys.executable).parent / "gunicornc")
            answer = subprocess.run(
                [gunicornc, "-s", str(socket_path), "-c", "show stats", "-j"],
                capture_output=True,
                text=True,
                timeout=20,
                check=True,
            )
            # The socket answers for this instance's own master, not the other one.
            assert json.loads(answer.stdout)["pid"] == server.process.pid
        assert sockets[0] != sockets[1]
        assert not (tmp_path / ".gunicorn" / "gunicorn.ctl").exists()
    finally:
        first.stop()
        if second is not None:
            second.stop()


def test_the_access_log_holds_no_token_and_no_calendar_secret(tmp_path: Path) -> None:
    access_log = tmp_path / "access.log"
    server = Server(tmp_path, _clean_env(tmp_path, tmp_path / "data"), "--access-log", "access.log")
    feed = "/calendar/s3cretfeedvalue0123456789.ics"
    try:
        server.wait_until_up()
        assert server.status("/api/v1/me?token=lvl_secret") == 401
        assert server.status("/api/v1/health?format=json&token=lvl_secret&x=1") == 200
        assert server.status("/api/v1/me", Authorization="Bearer lvl_secret") == 401
        assert server.status(feed) == 404
        assert server.status("/", Referer=f"{server.url}{feed}") == 200
        server.status("/mentoring/accept/inv1tecodevalue/")
    finally:
        server.stop()
    logged = access_log.read_text()
    assert stat.S_IMODE(access_log.stat().st_mode) == 0o600
    # Every request was logged, with its secrets replaced.
    assert logged.count("\n") >= 6, logged
    assert '"GET /api/v1/me?token=[redacted] HTTP/1.1" 401' in logged
    assert "/api/v1/health?format=json&token=[redacted]&x=1" in logged
    assert '"GET /calendar/[redacted].ics HTTP/1.1" 404' in logged
    assert f'"{server.url}/calendar/[redacted].ics"' in logged
    everything = logged + server.output.read_text()
    # Django's own warnings ("Not Found: /calendar/….ics") go to the server's output.
    assert "Not Found: /calendar/[redacted].ics" in everything
    for secret in ("lvl_secret", "s3cretfeedvalue", "inv1tecodevalue"):
        assert secret not in everything, secret


def test_a_data_directory_too_deep_for_a_socket_path_gets_a_private_one_per_instance() -> None:
    # pytest's own temporary folders can be long enough to take every choice away.
    short = Path(tempfile.mkdtemp(prefix="lu-", dir="/tmp"))
    try:
        assert control_socket_for(short / "data", "127.0.0.1", 8000, {}) == (
            short / "data" / "run" / "127.0.0.1-8000.ctl"
        )
        deep = short / ("nested-" * 12) / "data"
        deep.mkdir(parents=True)
        runtime = short / "runtime"
        runtime.mkdir()
        environ = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(deep)}
        first = control_socket_for(deep, "127.0.0.1", 8000, environ)
        second = control_socket_for(deep, "127.0.0.1", 8001, environ)
        assert first is not None and second is not None and first != second
        assert first.parent == second.parent == runtime
        assert first.name.startswith("levelup-") and first.name != "gunicorn.ctl"
        # No runtime directory: beside gunicorn's own default, under a name of its own.
        in_home = control_socket_for(deep, "127.0.0.1", 8000, {"HOME": str(short)})
        assert in_home == short / ".gunicorn" / first.name
        # Runtime directory and home too deep: a folder of this account's in TMPDIR.
        temporary = short / "tmp"
        temporary.mkdir()
        too_deep = {"XDG_RUNTIME_DIR": str(deep), "HOME": str(deep)}
        in_temporary = control_socket_for(
            deep, "127.0.0.1", 8000, {**too_deep, "TMPDIR": str(temporary)}
        )
        private = temporary / f"levelup-{os.getuid()}"
        assert in_temporary == private / first.name
        assert stat.S_IMODE(private.stat().st_mode) == 0o700
        # One that others can write to (made first by someone else) is not used.
        shared = short / "shared"
        (shared / f"levelup-{os.getuid()}").mkdir(parents=True)
        (shared / f"levelup-{os.getuid()}").chmod(0o777)
        assert (
            control_socket_for(deep, "127.0.0.1", 8000, {**too_deep, "TMPDIR": str(shared)}) is None
        )
        assert (
            control_socket_for(deep, "127.0.0.1", 8000, {**too_deep, "TMPDIR": str(deep)}) is None
        )
    finally:
        shutil.rmtree(short)
