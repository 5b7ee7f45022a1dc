"""`levelup read` and `levelup cert` against a real server, and the operator's
`levelup user export|import|delete` on two real data directories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Home, Learner

pytestmark = pytest.mark.django_db(transaction=True)


def test_read_adds_lists_and_finishes_a_book(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run("read")
    assert run.code == 0, run.err
    assert "empty" in run.out
    run = logged_in.run("read", "add", "Refactoring", "--authors", "Martin Fowler")
    assert run.code == 0, run.err
    assert "Added Refactoring (want to)" in run.out
    run = logged_in.run("read", "set", "refac", "finished", "--rating", "5", "--note", "mine")
    assert run.code == 0, run.err
    assert "Refactoring: finished." in run.out
    items = learner.api("GET", "/me/resources").json()["items"]
    assert [(i["title"], i["status"], i["rating"], i["note"]) for i in items] == [
        ("Refactoring", "finished", 5, "mine")
    ]
    run = logged_in.run("read", "--json")
    assert json.loads(run.out)["items"][0]["status"] == "finished"


def test_read_refuses_an_unknown_status_and_an_unknown_item(logged_in: Home) -> None:
    logged_in.run("read", "add", "Refactoring")
    run = logged_in.run("read", "set", "Refactoring", "skimmed")
    assert run.code != 0 and run.err.startswith("error: status:")
    run = logged_in.run("read", "set", "Nothing like it", "finished")
    assert run.code != 0 and "nothing on your list matches" in run.err


def test_cert_books_an_exam_and_the_server_refuses_a_bad_date(
    logged_in: Home, learner: Learner
) -> None:
    assert logged_in.run("cert", "add", "CKA", "--issuer", "CNCF").code == 0
    run = logged_in.run("cert", "book", "CKA", "2027-02-30")
    assert run.code != 0 and "exam_date" in run.err
    run = logged_in.run("cert", "book", "CKA", "2027-02-01")
    assert run.code == 0, run.err
    assert "exam booked for 2027-02-01" in run.out
    run = logged_in.run("cert")
    assert "CKA: booked, exam on 2027-02-01" in run.out
    cert = learner.api("GET", "/me/certifications").json()["items"][0]
    assert cert["status"] == "booked"


# --- operator commands on two servers ------------------------------------------------------


def _levelup(
    data_dir: Path, *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEVELUP_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(LEVELUP_DATA_DIR=str(data_dir), LEVELUP_ENV="development")
    return subprocess.run(
        [sys.executable, "-m", "levelup.cli", *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _normalised(path: Path) -> dict[str, Any]:
    archive = json.loads(path.read_text())
    archive.pop("exported_at")
    archive.pop("integrity")
    return archive


@pytest.mark.django_db(transaction=False)
def test_the_demo_account_moves_to_a_fresh_server_and_exports_the_same(tmp_path: Path) -> None:
    old, new = tmp_path / "old-server", tmp_path / "new-server"
    assert _levelup(old, "migrate").returncode == 0
    demo = _levelup(old, "demo")
    assert demo.returncode == 0, demo.stderr
    first = tmp_path / "first.json"
    assert _levelup(old, "user", "export", "demo", "-o", str(first)).returncode == 0

    assert _levelup(new, "migrate").returncode == 0
    made = _levelup(new, "user", "create", "demo", "--password-stdin", input="a-new-password-9\n")
    assert made.returncode == 0, made.stderr
    imported = _levelup(new, "user", "import", "demo", str(first))
    assert imported.returncode == 0, imported.stderr
    assert "imported into demo:" in imported.stdout and "study_sessions" in imported.stdout
    second = tmp_path / "second.json"
    assert _levelup(new, "user", "export", "demo", "-o", str(second)).returncode == 0
    assert _normalised(second) == _normalised(first)

    # A changed archive is refused, with the reason, and the account stays as it was.
    tampered = json.loads(first.read_text())
    tampered["profile"]["display_name"] = "Mallory"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered))
    refused = _levelup(new, "user", "import", "demo", str(bad))
    assert refused.returncode == 1
    assert "integrity.digest" in refused.stderr and "nothing was imported" in refused.stderr

    # The operator deletes the account; its archive is then empty of it.
    deleted = _levelup(new, "user", "delete", "demo", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert "deleted user demo" in deleted.stdout
    gone = _levelup(new, "user", "export", "demo")
    assert gone.returncode == 1 and "no user 'demo'" in gone.stderr
