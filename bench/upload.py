"""Uploads against a real server: worker memory and time for refused and accepted bodies.

    .venv/bin/python bench/upload.py [--refused-mb 100] [--csv-mb 3,5]

Starts `levelup serve --workers 1` on a free port of 127.0.0.1 in a temporary data
directory (SQLite), with a learner, a write token and an enrollment. Then:

- declares a `--refused-mb` body (multipart, to the CSV import) and streams it in
  256 KiB chunks until the server answers: the status, how much of the body the
  client managed to send, the time to the answer;
- imports a valid CSV of each size in `--csv-mb`, once as a raw `text/csv` body and
  once as a multipart upload: status, rows, time.

After each request it prints the worker's resident memory (VmRSS) and peak (VmHWM)
from /proc, so growth is read directly (Linux only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1024 * 1024
PASSWORD = "bench upload password 1"


def levelup(*args: str) -> list[str]:
    return [sys.executable, "-m", "levelup.cli", *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of the process in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def worker_of(master: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise SystemExit("gunicorn started no worker")


def csv_body(size: int) -> bytes:
    lines = [b"date,minutes,category,note\n"]
    total, n = len(lines[0]), 0
    while True:
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n % 300)
        line = f"{day.isoformat()},{15 + n % 200},theory,row {n} {'x' * 1800}\n".encode()
        if total + len(line) > size:
            return b"".join(lines)
        lines.append(line)
        total += len(line)
        n += 1


def streamed(port: int, path: str, total: int, headers: dict[str, str]) -> tuple[int, int, str]:
    """Declare `total` bytes, send them until the server answers; (status, sent, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.putrequest("POST", path)
    for name, value in {**headers, "Content-Length": str(total)}.items():
        conn.putheader(name, value)
    conn.endheaders()
    assert conn.sock is not None
    chunk = b"x" * (256 * 1024)
    sent = 0
    while sent < total:
        if select.select([conn.sock], [], [], 0)[0]:
            break
        try:
            conn.sock.sendall(chunk[: total - sent])
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += min(len(chunk), total - sent)
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    return response.status, sent, body


def posted(port: int, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return response.status, text


def multipart(body: bytes, boundary: str) -> bytes:
    return b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="file"; filename="sessions.csv"\r\n',
            b"Content-Type: text/csv\r\n\r\n",
            body,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refused-mb", type=int, default=100)
    parser.add_argument("--csv-mb", default="3,5", help="comma-separated CSV sizes in MB")
    options = parser.parse_args()
    if not Path("/proc/self/status").exists():
        raise SystemExit("bench/upload.py reads worker memory from /proc (Linux)")
    root = Path(tempfile.mkdtemp(prefix="levelup-upload-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    env.pop("DATABASE_URL", None)
    env.update(LEVELUP_DATA_DIR=str(root / "data"), HOME=str(root))
    server = None
    try:
        subprocess.run(levelup("migrate"), env=env, check=True, capture_output=True)
        subprocess.run(
            levelup("user", "create", "uploader", "--password-stdin"),
            env=env,
            input=f"{PASSWORD}\n".encode(),
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            levelup("token", "create", "uploader", "--name", "bench", "--write"),
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        token = next(word for word in out.split() if word.startswith("lvl_"))
        port = free_port()
        server = subprocess.Popen(
            levelup("serve", "--no-migrate", "--workers", "1", "--port", str(port)),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        auth = {"Authorization": f"Bearer {token}"}
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/api/v1/roadmaps", headers=auth)
                slug = json.loads(conn.getresponse().read())[0]["slug"]
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.3)
        status, text = posted(
            port,
            "/api/v1/enrollments",
            json.dumps({"roadmap": slug, "start_date": "2025-01-01"}).encode(),
            {**auth, "Content-Type": "application/json"},
        )
        enrollment = json.loads(text)["id"]
        path = f"/api/v1/enrollments/{enrollment}/sessions/import"
        worker = worker_of(server.pid)
        rss, hwm = memory_kib(worker)
        print(f"worker {worker} after start: RSS {rss / 1024:.1f} MB, peak {hwm / 1024:.1f} MB")

        def report(label: str, began: float, status: int, extra: str) -> None:
            elapsed = time.perf_counter() - began
            rss, peak = memory_kib(worker)
            print(
                f"{label:<38} {status}  {elapsed * 1000:8.1f} ms  RSS {rss / 1024:6.1f} MB  "
                f"peak {peak / 1024:6.1f} MB (+{(peak - hwm) / 1024:.1f})  {extra}"
            )

        boundary = "levelup-bench"
        for _ in range(2):
            began = time.perf_counter()
            status, sent, _ = streamed(
                port,
                path,
                options.refused_mb * MB,
                {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            report(f"{options.refused_mb} MB declared, refused", began, status, f"sent {sent:,}")
        for size in [int(n) for n in options.csv_mb.split(",") if n.strip()]:
            body = csv_body(size * MB)
            began = time.perf_counter()
            status, text = posted(port, path, body, {**auth, "Content-Type": "text/csv"})
            rows = json.loads(text).get("rows") if status == 200 else text[:80]
            report(f"{size} MB CSV as text/csv", began, status, f"rows {rows}")
            began = time.perf_counter()
            status, text = posted(
                port,
                path,
                multipart(body, boundary),
                {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
            skipped = json.loads(text).get("skipped") if status == 200 else text[:80]
            report(f"{size} MB CSV as multipart", began, status, f"skipped {skipped}")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
