"""`levelup demo` on a data directory nothing has migrated yet."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def test_demo_on_a_fresh_data_dir_migrates_first_and_creates_the_learner(
    tmp_path: Path,
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env["LEVELUP_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run(
        [sys.executable, "-m", "levelup.cli", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "demo learner ready: sign in as 'demo'" in out.stdout
    database = sqlite3.connect(tmp_path / "data" / "levelup.sqlite3")
    try:
        (count,) = database.execute(
            "SELECT count(*) FROM accounts_user WHERE username = 'demo'"
        ).fetchone()
    finally:
        database.close()
    assert count == 1
