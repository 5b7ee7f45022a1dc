"""Wall time of `levelup --help` and of `levelup log` against a live local server.

Usage: .venv/bin/python bench/cli.py [--runs N]

Starts its own server (a temporary data directory, `levelup migrate`,
`levelup serve` on a free port), creates a learner with a write token and an
enrollment, times each command as a fresh process (what a learner waits for),
prints the median, and cleans everything up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
LEVELUP = str(BIN / "levelup") if (BIN / "levelup").exists() else None


def command(*args: str) -> list[str]:
    return [LEVELUP, *args] if LEVELUP else [sys.executable, "-m", "levelup.cli", *args]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    print(
        f"{label:<28} median {statistics.median(ms):7.1f} ms"
        f"   min {ms[0]:7.1f}   max {ms[-1]:7.1f}   (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="levelup-bench-cli-"))
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_") and k != "DATABASE_URL"
    }
    env.update(
        LEVELUP_DATA_DIR=str(root / "data"),
        HOME=str(root),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "cache"),
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(command("migrate"), env=env, check=True, capture_output=True)
        subprocess.run(
            command("user", "create", "bench", "--password-stdin"),
            env=env,
            input=b"bench-password-123\n",
            check=True,
            capture_output=True,
        )
        token = subprocess.run(
            command("token", "create", "bench", "--name", "bench", "--write"),
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        # The secret is the output's `lvl_…` line (the others explain it).
        token = next(line for line in token.split() if line.startswith("lvl_"))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            command("serve", "--port", str(port), "--workers", "1", "--no-migrate"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.2)
        auth = {"Authorization": f"Bearer {token}"}
        slug = httpx.get(f"{url}/api/v1/roadmaps", timeout=10).json()[0]["slug"]
        response = httpx.post(
            f"{url}/api/v1/enrollments", json={"roadmap": slug}, headers=auth, timeout=10
        )
        response.raise_for_status()
        category = httpx.get(f"{url}/api/v1/roadmaps/{slug}", timeout=10).json()["weekly_schedule"][
            "categories"
        ][0]["slug"]

        learner_env = {**env, "LEVELUP_URL": url, "LEVELUP_TOKEN": token}
        learner_env.pop("LEVELUP_DATA_DIR")
        # Warm the OS cache and the completion cache once, as a learner's second run would be.
        subprocess.run(command("status"), env=learner_env, check=True, capture_output=True)

        print(f"levelup CLI ({' '.join(command())}), server {url}, {options.runs} runs each")
        report("levelup --help", timed(command("--help"), learner_env, options.runs))
        report(
            f"levelup log 30m {category}",
            timed(command("log", "30m", category), learner_env, options.runs),
        )
        report("levelup status", timed(command("status"), learner_env, options.runs))
        report(
            "python -c pass (baseline)",
            timed([sys.executable, "-c", "pass"], learner_env, options.runs),
        )
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
