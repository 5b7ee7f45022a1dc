"""Operator commands `levelup user create` and `levelup token create`, run as subprocesses."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from levelup.accounts.tokens import hash_token
from tests.accounts.conftest import PASSWORD

LEVELUP = Path(sys.executable).with_name("levelup")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh data directory with a migrated SQLite database."""
    path = tmp_path_factory.mktemp("levelup-cli")
    result = run(path, "migrate")
    assert result.returncode == 0, result.stderr
    return path


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEVELUP_", "DJANGO_"))}
    # Never the database or cache the test run itself may be using.
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["LEVELUP_DATA_DIR"] = str(data_dir)
    return env


def run(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LEVELUP), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(data_dir),
        timeout=120,
        check=False,
    )


def rows(data_dir: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(data_dir / "levelup.sqlite3") as db:
        return db.execute(sql, params).fetchall()


def test_user_create_makes_an_account_with_an_argon2_password(data_dir: Path) -> None:
    result = run(
        data_dir,
        "user",
        "create",
        "erin",
        "--email",
        "erin@example.com",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert "created user erin" in result.stdout
    [(email, password)] = rows(
        data_dir, "SELECT email, password FROM accounts_user WHERE username = ?", "erin"
    )
    assert email == "erin@example.com"
    assert password.startswith("argon2$")


def test_a_weak_password_exits_1_with_one_line_naming_password(data_dir: Path) -> None:
    result = run(
        data_dir,
        "user",
        "create",
        "frank",
        "--email",
        "f@example.com",
        "--password-stdin",
        stdin="123\n",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "password" in lines[0]
    assert "Traceback" not in result.stderr
    assert rows(data_dir, "SELECT id FROM accounts_user WHERE username = ?", "frank") == []


def test_a_duplicate_user_exits_1(data_dir: Path) -> None:
    first = run(data_dir, "user", "create", "gina", "--password-stdin", stdin=PASSWORD)
    assert first.returncode == 0, first.stderr
    again = run(data_dir, "user", "create", "GINA", "--password-stdin", stdin=PASSWORD)
    assert again.returncode == 1
    assert "already taken" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert rows(data_dir, "SELECT count(*) FROM accounts_user WHERE lower(username) = 'gina'") == [
        (1,)
    ]


def test_without_password_stdin_it_exits_1(data_dir: Path) -> None:
    result = run(data_dir, "user", "create", "hank")
    assert result.returncode == 1
    assert "--password-stdin" in result.stderr


def test_a_token_for_an_unknown_user_exits_1(data_dir: Path) -> None:
    result = run(data_dir, "token", "create", "nobody", "--name", "ci")
    assert result.returncode == 1
    assert "no user 'nobody'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_printed_token_is_stored_hashed_and_works_against_the_api(data_dir: Path) -> None:
    assert (
        run(data_dir, "user", "create", "ivy", "--password-stdin", stdin=PASSWORD).returncode == 0
    )
    result = run(data_dir, "token", "create", "ivy", "--name", "ci", "--write")
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    assert secret.startswith("lvl_")
    assert "shown only now" in result.stderr
    [(stored_hash, can_write)] = rows(
        data_dir,
        "SELECT t.token_hash, t.can_write FROM accounts_apitoken t "
        "JOIN accounts_user u ON u.id = t.user_id WHERE u.username = ?",
        "ivy",
    )
    assert stored_hash == hash_token(secret)
    assert can_write == 1
    # Ask the API, in a separate process on the same database file.
    probe = (
        "import django, sys; django.setup(); from django.test import Client; "
        "r = Client().get('/api/v1/me', headers={'Authorization': 'Bearer ' + sys.argv[1]}); "
        "print(r.status_code, r.json().get('username'))"
    )
    env = environment(data_dir) | {"DJANGO_SETTINGS_MODULE": "levelup.settings"}
    answer = subprocess.run(
        [sys.executable, "-c", probe, secret],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert answer.stdout.strip() == "200 ivy", answer.stderr
    wrong = subprocess.run(
        [sys.executable, "-c", probe, secret + "x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert wrong.stdout.strip().startswith("401"), wrong.stderr


def test_a_token_is_read_only_unless_asked_and_can_expire(data_dir: Path) -> None:
    assert (
        run(data_dir, "user", "create", "jude", "--password-stdin", stdin=PASSWORD).returncode == 0
    )
    result = run(data_dir, "token", "create", "jude", "--name", "dashboards", "--expires-days", "7")
    assert result.returncode == 0, result.stderr
    [(can_write, expires_at)] = rows(
        data_dir,
        "SELECT t.can_write, t.expires_at FROM accounts_apitoken t "
        "JOIN accounts_user u ON u.id = t.user_id WHERE u.username = ?",
        "jude",
    )
    assert can_write == 0
    assert expires_at is not None
