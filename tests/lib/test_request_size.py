"""Request size: every body is capped for its address before it is read; the documented
5 MB CSV import works as a multipart upload and as a raw text/csv body."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from levelup.cli.gunicorn_limits import gunicorn_limit_args
from levelup.journal import csvio
from levelup.journal.models import StudySession
from levelup.lib.request_size import ARCHIVE_IMPORT_BYTES, CSV_IMPORT_BYTES, body_limit
from levelup.progress.services import enrollment_create

MB = 1024 * 1024
SERVE = [sys.executable, "-m", "levelup.cli", "serve", "--no-migrate", "--workers", "1"]


def csv_of(size: int) -> bytes:
    """A valid study-session CSV of about `size` bytes (never more)."""
    header = b"date,minutes,category,note\n"
    lines = [header]
    total = len(header)
    n = 0
    while True:
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n % 300)
        line = f"{day.isoformat()},{15 + n % 200},theory,row {n} {'x' * 1800}\n".encode()
        if total + len(line) > size:
            break
        lines.append(line)
        total += len(line)
        n += 1
    return b"".join(lines)


@pytest.fixture
def enrollment(alice: Any, builtin: Any) -> Any:
    roadmap, _ = builtin
    return enrollment_create(user=alice, roadmap_slug=roadmap.slug, start_date=dt.date(2025, 1, 1))


def import_url(enrollment: Any) -> str:
    return f"/api/v1/enrollments/{enrollment.pk}/sessions/import"


def test_a_3_mb_csv_sent_as_text_csv_is_imported(api_for: Any, alice: Any, enrollment: Any) -> None:
    body = csv_of(3 * MB)
    assert len(body) > 2_621_440  # larger than Django's default in-memory body limit
    api = api_for(alice)
    response = api.generic(
        "POST",
        import_url(enrollment),
        body,
        content_type="text/csv",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 200, response.content[:300]
    rows = body.count(b"\n") - 1
    assert response.json() == {"rows": rows, "created": rows, "skipped": 0}
    assert StudySession.objects.filter(enrollment=enrollment).count() == rows


def test_a_5_mb_csv_uploaded_on_the_page_is_imported(
    web_for: Any, alice: Any, enrollment: Any
) -> None:
    body = csv_of(csvio.MAX_BYTES)
    upload = BytesIO(body)
    upload.name = "sessions.csv"
    response = web_for(alice).post("/journal/csv/", {"file": upload})
    assert response.status_code == 302, response.content[:500]
    assert StudySession.objects.filter(enrollment=enrollment).count() == body.count(b"\n") - 1


def test_a_5_mb_csv_uploaded_to_the_api_as_multipart_is_imported(
    api_for: Any, alice: Any, enrollment: Any
) -> None:
    body = csv_of(csvio.MAX_BYTES)
    upload = BytesIO(body)
    upload.name = "sessions.csv"
    token = api_for(alice).token
    response = Client().post(
        import_url(enrollment), {"file": upload}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["created"] == body.count(b"\n") - 1


def test_a_csv_over_5_mb_is_refused_by_its_size_naming_the_file(
    api_for: Any, web_for: Any, alice: Any, enrollment: Any
) -> None:
    body = csv_of(csvio.MAX_BYTES) + b"2025-01-02,30,theory," + b"y" * 1000 + b"\n"
    assert csvio.MAX_BYTES < len(body) < CSV_IMPORT_BYTES + 64 * 1024
    api = api_for(alice)
    raw = api.generic(
        "POST",
        import_url(enrollment),
        body,
        content_type="text/csv",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert raw.status_code == 422
    assert raw.json()["errors"][0]["field"] == "file"
    assert "larger than 5 MB" in raw.json()["errors"][0]["message"]
    upload = BytesIO(body)
    upload.name = "sessions.csv"
    page = web_for(alice).post("/journal/csv/", {"file": upload})
    assert page.status_code == 422
    assert "The file is larger than 5 MB" in page.content.decode()
    assert not StudySession.objects.filter(enrollment=enrollment).exists()


def test_a_body_declared_over_the_cap_is_refused_with_413_before_it_is_read(
    api_for: Any, web_for: Any, alice: Any, enrollment: Any
) -> None:
    api = api_for(alice)
    # The declared length is what counts: the 10 bytes actually sent are never read.
    answer = api.generic(
        "POST",
        import_url(enrollment),
        b"date,minu",
        content_type="text/csv",
        headers={"Authorization": f"Bearer {api.token}"},
        CONTENT_LENGTH=str(100 * MB),
    )
    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/json"
    detail = answer.json()["detail"]
    assert "100 MB (104,857,600 bytes)" in detail
    assert "a study-session CSV of at most 5 MB accepts at most 5.1 MB" in detail
    page = web_for(alice).generic(
        "POST",
        "/journal/csv/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(100 * MB),
    )
    assert page.status_code == 413
    assert page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "<h1>Request too large</h1>" in text and "104,857,600 bytes" in text
    assert "Content-Security-Policy" in page  # the security headers still wrap it
    assert not StudySession.objects.filter(enrollment=enrollment).exists()


def test_an_ordinary_address_takes_at_most_the_default_cap(
    api_for: Any, alice: Any, settings: Any
) -> None:
    api = api_for(alice)
    over = api.generic(
        "PATCH",
        "/api/v1/me",
        b"{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
    )
    assert over.status_code == 413
    assert over.json()["errors"][0]["field"] == "body"
    assert "this address accepts at most 2.5 MB (2,621,440 bytes)" in over.json()["detail"]
    # A body just under the cap goes through to the endpoint.
    padded = b'{"display_name": "Al"' + b" " * (settings.REQUEST_MAX_BYTES - 100) + b"}"
    under = api.generic(
        "PATCH",
        "/api/v1/me",
        padded,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert under.status_code == 200
    assert under.json()["display_name"] == "Al"


def test_a_chunked_body_without_a_length_is_refused_with_411(api_for: Any, alice: Any) -> None:
    api = api_for(alice)
    answer = api.generic(
        "POST",
        "/api/v1/me/import",
        b"",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}", "Transfer-Encoding": "chunked"},
        CONTENT_LENGTH="",
    )
    assert answer.status_code == 411
    assert "Content-Length" in answer.json()["detail"]


def test_the_caps_fit_what_the_imports_document() -> None:
    from levelup.datatransfer.forms import ARCHIVE_MAX_BYTES

    assert body_limit("/journal/csv/")[0] > csvio.MAX_BYTES == CSV_IMPORT_BYTES
    assert body_limit("/api/v1/enrollments/7/sessions/import")[0] > CSV_IMPORT_BYTES
    assert body_limit("/accounts/data/import/")[0] > ARCHIVE_MAX_BYTES == ARCHIVE_IMPORT_BYTES
    assert body_limit("/api/v1/me/import")[0] > ARCHIVE_IMPORT_BYTES
    assert body_limit("/api/v1/enrollments/7/sessions")[0] == 2_621_440


def test_serve_gives_gunicorn_its_header_limits() -> None:
    args = gunicorn_limit_args()
    assert args[args.index("--limit-request-line") + 1] == "4094"
    assert args[args.index("--limit-request-fields") + 1] == "50"
    assert args[args.index("--limit-request-field_size") + 1] == "8190"


# --- against a real server -------------------------------------------------------------


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM) in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise AssertionError("gunicorn started no worker")


def stream_upload(port: int, path: str, total: int, headers: dict[str, str]) -> tuple[int, int]:
    """Declare `total` bytes and send them in chunks until the server answers.

    Returns (status, bytes sent). A server that refuses after the headers answers long
    before the body is through; one that reads the body makes the client send it all.
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.putrequest("POST", path)
    for name, value in {**headers, "Content-Length": str(total)}.items():
        conn.putheader(name, value)
    conn.endheaders()
    assert conn.sock is not None
    chunk = b"x" * (256 * 1024)
    sent = 0
    while sent < total:
        readable, _, _ = select.select([conn.sock], [], [], 0)
        if readable:
            break
        try:
            conn.sock.sendall(chunk[: total - sent])
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += min(len(chunk), total - sent)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, sent


@pytest.fixture
def server(tmp_path: Path, transactional_db: Any) -> Iterator[tuple[int, int, str, int]]:
    """`levelup serve` with one worker: (port, worker pid, write token, enrollment id)."""
    from tests.lib.test_many_servers import _database_env, _free_port

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LEVELUP_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(LEVELUP_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="levelup.settings")
    env.update(_database_env(tmp_path))

    def operator(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "levelup.cli", *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    if env["DATABASE_URL"].startswith("sqlite"):
        operator("migrate")
    operator("user", "create", "uploader", "--password-stdin", stdin="an upload password 9\n")
    token = next(
        w
        for w in operator("token", "create", "uploader", "--name", "t", "--write").split()
        if w.startswith("lvl_")
    )
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [*SERVE, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        import json

        deadline = time.monotonic() + 90
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    pass
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(
                    "GET", "/api/v1/roadmaps", headers={"Authorization": f"Bearer {token}"}
                )
                slug = json.loads(conn.getresponse().read())[0]["slug"]
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        conn.request(
            "POST",
            "/api/v1/enrollments",
            body=json.dumps({"roadmap": slug}),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        enrollment = json.loads(conn.getresponse().read())["id"]
        conn.close()
        yield port, worker_pid(process.pid), token, enrollment
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
        log.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_100_mb_upload_is_refused_and_the_worker_grows_less_than_10_mb(
    server: tuple[int, int, str, int],
) -> None:
    port, worker, token, enrollment = server
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "multipart/form-data; boundary=levelup-test-boundary",
    }
    path = f"/api/v1/enrollments/{enrollment}/sessions/import"
    # One refused request first, so what the first request of a worker loads is not counted.
    assert stream_upload(port, path, 100 * MB, headers)[0] == 413
    before = peak_rss_kib(worker)
    for _ in range(3):
        status, sent = stream_upload(port, path, 100 * MB, headers)
        assert status == 413
        # Refused after the headers: most of the body was never sent.
        assert sent < 50 * MB
    growth = peak_rss_kib(worker) - before
    assert growth < 10 * 1024, f"the worker grew {growth} KiB"
    # A page address refuses the same way.
    assert stream_upload(port, "/journal/csv/", 100 * MB, {"Content-Type": "text/csv"})[0] == 413
    assert peak_rss_kib(worker) - before < 10 * 1024
