"""`levelup backup` and `levelup restore`, run as an operator runs them.

Each instance is a real one: its own data directory, and on PostgreSQL its own
database (made for the test, dropped after), brought up with `levelup migrate`.
The PostgreSQL instance runs when the suite itself runs on PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SUITE_DATABASE = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SUITE_DATABASE.startswith(("postgres://", "postgresql://"))
PASSWORD = "a long passphrase for ada"


@dataclass
class Instance:
    """One levelup installation driven through its CLI."""

    kind: str
    data_dir: Path
    env: dict[str, str]

    def run(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "levelup.cli", *args],
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def ok(self, *args: str, input: str | None = None) -> str:
        result = self.run(*args, input=input)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def state(self) -> list[str]:
        """Every user with their enrollments' start dates, one line each."""
        code = (
            "import django; django.setup()\n"
            "from levelup.accounts.models import User\n"
            "for user in User.objects.order_by('username'):\n"
            "    starts = sorted(str(e.start_date) for e in user.enrollments.all())\n"
            "    print(user.username, *starts)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "levelup.settings"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    def enroll(self, username: str, start: str) -> None:
        code = (
            "import datetime, django; django.setup()\n"
            "from levelup.accounts.models import User\n"
            "from levelup.progress.services import enrollment_create\n"
            f"user = User.objects.get(username={username!r})\n"
            "enrollment_create(user=user, roadmap_slug='backend-junior-to-senior',"
            f" start_date=datetime.date.fromisoformat({start!r}))\n"
        )
        subprocess.run(
            [sys.executable, "-c", code],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "levelup.settings"},
            check=True,
            timeout=60,
        )


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LEVELUP_", "DJANGO_"))
        and key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env["LEVELUP_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def instance(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Instance]:
    kind = request.param
    data_dir = tmp_path_factory.mktemp(f"backup-{kind}") / "data"
    if kind == "sqlite":
        made = Instance(kind, data_dir, _environment(data_dir, None))
        made.ok("migrate")
        yield made
        return
    if not ON_POSTGRES:
        pytest.skip("the suite runs on SQLite; set DATABASE_URL=postgres://… to run this too")
    import psycopg

    base, _, name = SUITE_DATABASE.rpartition("/")
    database = f"{name.split('?')[0]}_backup_{secrets.token_hex(3)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        made = Instance(kind, data_dir, _environment(data_dir, f"{base}/{database}"))
        made.ok("migrate")
        yield made
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_brings_back_users_and_enrollments_after_changes(
    instance: Instance, tmp_path: Path
) -> None:
    instance.ok("user", "create", "ada", "--password-stdin", input=PASSWORD + "\n")
    instance.enroll("ada", "2026-01-05")
    before = instance.state()
    assert "ada 2026-01-05" in before

    target = tmp_path / "nightly.backup"
    out = instance.ok("backup", str(target))
    assert str(target) in out
    assert _mode(target) == 0o600

    # Changes after the backup: ada is gone, carl arrived.
    instance.ok("user", "delete", "ada", "--yes")
    instance.ok("user", "create", "carl", "--password-stdin", input=PASSWORD + "\n")
    assert "ada 2026-01-05" not in instance.state()

    restored = instance.run("restore", str(target), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert f"from {target}" in restored.stdout
    after = instance.state()
    assert after == before
    assert not any(line.startswith("carl") for line in after)
    # ada can sign in with her password again: the row is whole, not just present.
    check = instance.run("token", "create", "ada", "--name", "after restore")
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("lvl_")


def test_without_a_path_it_writes_a_private_file_in_the_data_directory(
    instance: Instance,
) -> None:
    out = instance.ok("backup")
    folder = instance.data_dir / "backups"
    written = sorted(folder.iterdir())
    assert written, out
    assert _mode(folder) == 0o700
    assert all(_mode(path) == 0o600 for path in written)
    assert written[-1].suffix == (".sqlite3" if instance.kind == "sqlite" else ".pgdump")
    assert str(written[-1]) in out


def test_it_refuses_to_replace_an_existing_file_unless_forced(
    instance: Instance, tmp_path: Path
) -> None:
    target = tmp_path / "keep-me.backup"
    target.write_text("an older file the operator cares about\n")
    result = instance.run("backup", str(target))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: backup: {target} already exists; pass --force to replace it"
    )
    assert target.read_text() == "an older file the operator cares about\n"
    assert list(tmp_path.iterdir()) == [target]  # no partial file left behind

    forced = instance.run("backup", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert _mode(target) == 0o600
    assert target.read_bytes()[:5] in (b"SQLit", b"PGDMP")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "does not exist"),
        (b"username,email\nada,ada@example.com\n", "is not a levelup backup"),
        (b"", "is not a levelup backup"),
    ],
    ids=["missing", "a-csv-file", "empty"],
)
def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(
    instance: Instance, tmp_path: Path, content: bytes | None, reason: str
) -> None:
    before = instance.state()
    source = tmp_path / "not-a-backup.bin"
    if content is not None:
        source.write_bytes(content)
    result = instance.run("restore", str(source), "--yes")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: backup: {source} {reason}"), result.stderr
    assert instance.state() == before


def test_restore_refuses_a_truncated_backup_and_the_live_data_stays(
    instance: Instance, tmp_path: Path
) -> None:
    instance.run("user", "create", "dora", "--password-stdin", input=PASSWORD + "\n")
    whole = tmp_path / "whole.backup"
    instance.ok("backup", str(whole))
    instance.ok("user", "create", "erik", "--password-stdin", input=PASSWORD + "\n")
    before = instance.state()
    broken = tmp_path / "broken.backup"
    data = whole.read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])

    result = instance.run("restore", str(broken), "--yes")
    assert result.returncode == 1
    assert str(broken) in result.stderr
    assert "damaged" in result.stderr or "changed nothing" in result.stderr, result.stderr
    assert instance.state() == before


def test_restore_refuses_a_database_of_something_else(instance: Instance, tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "notes.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    result = instance.run("restore", str(other), "--yes")
    assert result.returncode == 1
    if instance.kind == "sqlite":
        expected = f"error: backup: {other} is an SQLite database but not a levelup one"
    else:
        expected = f"error: backup: {other} is an SQLite backup, but this server uses postgresql"
    assert result.stderr.startswith(expected), result.stderr


def test_restore_asks_first_and_a_no_changes_nothing(instance: Instance, tmp_path: Path) -> None:
    target = tmp_path / "before-fred.backup"
    instance.ok("backup", str(target))
    instance.ok("user", "create", "fred", "--password-stdin", input=PASSWORD + "\n")
    before = instance.state()
    result = instance.run("restore", str(target), input="n\n")
    assert result.returncode == 1
    assert "Replace everything in" in result.stdout
    assert instance.state() == before
