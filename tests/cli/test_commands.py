"""The learner commands against a real server on 127.0.0.1, run as subprocesses."""

from __future__ import annotations

import csv
import io
import json
import stat
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Home, Learner

pytestmark = pytest.mark.django_db(transaction=True)


def assert_clean_failure(run: object, code: int, *fragments: str) -> None:
    """One `error: …` line on stderr, the given exit code, no traceback."""
    assert run.code == code, (run.code, run.out, run.err)  # type: ignore[attr-defined]
    lines = run.err_lines  # type: ignore[attr-defined]
    assert len(lines) == 1, run.err  # type: ignore[attr-defined]
    assert lines[0].startswith("error: ")
    assert "Traceback" not in run.err  # type: ignore[attr-defined]
    for fragment in fragments:
        assert fragment in lines[0]


# --- login, whoami, logout -----------------------------------------------------------


def test_login_checks_the_token_and_saves_it_readable_by_the_owner_only(
    home: Home, learner: Learner
) -> None:
    run = home.run("login", learner.url + "/", "--token", learner.token)
    assert run.code == 0, run.err
    assert "Logged in to" in run.out and "alice" in run.out
    text = home.config_file.read_text()
    assert f'url = "{learner.url}"' in text
    assert learner.token in text
    assert stat.S_IMODE(home.config_file.stat().st_mode) == 0o600

    who = home.run("whoami")
    assert who.code == 0, who.err
    assert "alice (Alice)" in who.out and "Europe/Berlin" in who.out

    who_json = json.loads(home.run("whoami", "--json").out)
    assert who_json["username"] == "alice"
    assert who_json["url"] == learner.url


def test_login_reads_the_token_from_the_environment_or_standard_input(
    home: Home, learner: Learner
) -> None:
    run = home.run("login", learner.url, env={"LEVELUP_TOKEN": learner.token})
    assert run.code == 0, run.err
    home.config_file.unlink()
    run = home.run("login", learner.url, input=learner.token + "\n")
    assert run.code == 0, run.err
    assert learner.token not in run.out + run.err  # never echoed
    assert learner.token in home.config_file.read_text()
    home.config_file.unlink()
    assert_clean_failure(home.run("login", learner.url, input=""), 2, "token", "--token")
    assert not home.config_file.exists()


def test_login_with_a_wrong_token_saves_nothing(home: Home, learner: Learner) -> None:
    run = home.run("login", learner.url, "--token", "lvl_00000000_not-a-real-token")
    assert_clean_failure(run, 5, "refused the token", "/accounts/tokens/")
    assert not home.config_file.exists()


def test_login_fills_the_completion_cache_with_item_keys_and_categories(
    home: Home, learner: Learner
) -> None:
    assert home.run("login", learner.url, "--token", learner.token).code == 0
    cache = json.loads((home.cache_dir / "completion.json").read_text())
    keys = {item["key"] for item in cache["items"]}
    assert learner.subtopic in keys and learner.topic in keys
    assert [c["slug"] for c in cache["categories"]] == learner.categories


def test_shell_completion_offers_item_keys(home: Home, learner: Learner) -> None:
    assert home.run("login", learner.url, "--token", learner.token).code == 0
    script = Path(sys.executable).parent / "levelup"
    if not script.exists():
        pytest.skip("the levelup script is not installed next to the interpreter")
    import subprocess

    prefix = learner.topic + "/"
    proc = subprocess.run(
        [str(script)],
        env={
            **home.env,
            "_LEVELUP_COMPLETE": "complete_bash",
            "COMP_WORDS": f"levelup done {prefix}",
            "COMP_CWORD": "2",
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert learner.subtopic in proc.stdout.split()


def test_logout_forgets_the_token(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run("logout")
    assert run.code == 0 and "revoke" in run.out
    assert learner.token not in logged_in.config_file.read_text()
    assert_clean_failure(logged_in.run("status"), 3, "levelup login")


# --- log ---------------------------------------------------------------------------------


def test_log_accepts_minutes_hours_and_minutes_and_decimal_hours(
    logged_in: Home, learner: Learner
) -> None:
    theory = learner.categories[0]
    for duration in ("45m", "1h30m", "1.5h"):
        run = logged_in.run(
            "log", duration, theory, "read about the event loop", "--item", learner.topic
        )
        assert run.code == 0, run.err
        assert run.out.startswith("Logged ")
    minutes = sorted(s["minutes"] for s in learner.sessions())
    assert minutes == [45, 90, 90]
    assert {s["item_key"] for s in learner.sessions()} == {learner.topic}
    assert {s["note"] for s in learner.sessions()} == {"read about the event loop"}

    week = json.loads(logged_in.run("week", "--json").out)
    logged = {c["slug"]: c["minutes"] for c in week["categories"]}
    assert logged[theory] == 225
    assert week["total_minutes"] == 225


def test_log_takes_a_date(logged_in: Home, learner: Learner) -> None:
    import datetime as dt

    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    run = logged_in.run("log", "20m", learner.categories[-1], "--date", day, "--json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["date"] == day


def test_a_bad_duration_names_it_and_logs_nothing(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run("log", "1x5", learner.categories[0])
    assert_clean_failure(run, 2, "duration '1x5'", "45m")
    assert learner.sessions() == []


def test_an_unknown_category_is_refused_naming_the_field(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run("log", "30m", "juggling")
    assert_clean_failure(run, 7, "category")
    assert learner.sessions() == []


def test_a_bad_date_is_refused_before_anything_is_sent(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run("log", "30m", learner.categories[0], "--date", "last tuesday")
    assert_clean_failure(run, 2, "date", "YYYY-MM-DD")


# --- reading -------------------------------------------------------------------------------


def test_week_prints_the_review_as_a_table(logged_in: Home, learner: Learner) -> None:
    assert logged_in.run("log", "2h", learner.categories[0]).code == 0
    run = logged_in.run("week")
    assert run.code == 0, run.err
    assert "Category" in run.out and "Target" in run.out
    assert "2 h" in run.out
    assert "Total" in run.out


def test_week_takes_an_iso_week_and_refuses_a_malformed_one(logged_in: Home) -> None:
    data = json.loads(logged_in.run("week", "--week", "2026-W07", "--json").out)
    assert data["week"] == "2026-W07"
    this = json.loads(logged_in.run("week", "--json").out)
    last = json.loads(logged_in.run("week", "--week", "last", "--json").out)
    assert last["week"] == this["previous_week"]
    assert_clean_failure(logged_in.run("week", "--week", "2026-07"), 2, "week", "YYYY-Www")


def test_status_json_is_the_dashboard(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run("status", "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["journey_month"] >= 7
    assert "percent" in data["overall"]
    assert len(data["phases"]) == len(learner.document.phases)
    assert {"done", "in_progress", "skipped", "total"} <= set(data["counts"])
    assert set(data["verdict"]) == {"status", "weeks", "label", "reason"}


def test_status_shows_the_month_each_phase_and_the_next_checkpoint(
    logged_in: Home, learner: Learner
) -> None:
    run = logged_in.run("status")
    assert run.code == 0, run.err
    assert "onth" in run.out.splitlines()[0]
    for phase in learner.document.phases:
        assert phase.title in run.out
    assert "Overall" in run.out
    assert "Next checkpoint" in run.out


def test_next_shows_this_weeks_plan(logged_in: Home, learner: Learner) -> None:
    from django.urls import Resolver404, resolve

    try:
        resolve(f"/api/v1/enrollments/{learner.enrollment.id}/plan/this-week")
    except Resolver404:
        pytest.skip("the planning API (GET /enrollments/{id}/plan/this-week) is not built yet")
    run = logged_in.run("next", "--json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert "items" in data
    human = logged_in.run("next")
    assert human.code == 0, human.err


# --- items -----------------------------------------------------------------------------------


def test_start_and_done_change_the_items_status(logged_in: Home, learner: Learner) -> None:
    base = f"/enrollments/{learner.enrollment.id}/items/{learner.subtopic}"
    run = logged_in.run("start", learner.subtopic)
    assert run.code == 0, run.err
    assert learner.api("GET", base).json()["status"] == "in_progress"
    run = logged_in.run("done", learner.subtopic)
    assert run.code == 0, run.err
    assert "done" in run.out
    assert learner.api("GET", base).json()["status"] == "done"


def test_done_on_an_unknown_item_names_the_key(logged_in: Home) -> None:
    assert_clean_failure(logged_in.run("done", "topic:no-such-thing"), 6, "topic:no-such-thing")


def test_note_opens_the_editor_and_saves_with_the_version(
    logged_in: Home, learner: Learner, tmp_path: Path
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "old = open(path).read()\n"
        "open(path, 'w').write(old + 'Microtasks run before the next macrotask.\\n')\n"
    )
    env = {"EDITOR": f"{sys.executable} {editor}"}
    run = logged_in.run("note", learner.subtopic, env=env)
    assert run.code == 0, run.err
    item = learner.api(
        "GET", f"/enrollments/{learner.enrollment.id}/items/{learner.subtopic}"
    ).json()
    assert item["notes"] == "Microtasks run before the next macrotask.\n"


def test_note_never_overwrites_a_change_made_while_editing(
    logged_in: Home, learner: Learner, tmp_path: Path
) -> None:
    # The "editor" changes the notes on the server behind the CLI's back.
    path = f"/api/v1/enrollments/{learner.enrollment.id}/items/{learner.subtopic}"
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, httpx\n"
        f"httpx.put({learner.url + path!r}, json={{'notes': 'from the web'}},\n"
        f"          headers={{'Authorization': 'Bearer {learner.token}'}})\n"
        "open(sys.argv[1], 'w').write('from the terminal')\n"
    )
    run = logged_in.run("note", learner.subtopic, env={"EDITOR": f"{sys.executable} {editor}"})
    assert_clean_failure(run, 8, "changed on the server", "unsaved-notes")
    item = learner.api(
        "GET", f"/enrollments/{learner.enrollment.id}/items/{learner.subtopic}"
    ).json()
    assert item["notes"] == "from the web"
    kept = list((logged_in.cache_dir / "unsaved-notes").iterdir())
    assert kept and kept[0].read_text() == "from the terminal"


def test_note_message_sets_notes_without_an_editor(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run("note", learner.topic, "-m", "Read the libuv docs.")
    assert run.code == 0, run.err
    item = learner.api("GET", f"/enrollments/{learner.enrollment.id}/items/{learner.topic}").json()
    assert item["notes"] == "Read the libuv docs."


# --- practice and export ---------------------------------------------------------------------


def test_practice_add_logs_a_problem(logged_in: Home, learner: Learner) -> None:
    run = logged_in.run(
        "practice",
        "add",
        "Two Sum",
        "--platform",
        "leetcode",
        "--difficulty",
        "easy",
        "--time",
        "25m",
    )
    assert run.code == 0, run.err
    problems = learner.api("GET", f"/enrollments/{learner.enrollment.id}/practice").json()["items"]
    assert [(p["title"], p["difficulty"], p["minutes"]) for p in problems] == [
        ("Two Sum", "easy", 25)
    ]


def test_practice_add_with_a_bad_difficulty_names_the_field(logged_in: Home) -> None:
    run = logged_in.run("practice", "add", "Two Sum", "--difficulty", "trivial")
    assert_clean_failure(run, 7, "difficulty")


def test_export_writes_csv_and_json(logged_in: Home, learner: Learner, tmp_path: Path) -> None:
    for duration in ("45m", "1h"):
        assert logged_in.run("log", duration, learner.categories[0]).code == 0
    out = tmp_path / "sessions.csv"
    run = logged_in.run("export", "--format", "csv", "--output", str(out))
    assert run.code == 0, run.err
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert sorted(int(r["minutes"]) for r in rows) == [45, 60]

    run = logged_in.run("export", "--format", "json")
    assert run.code == 0, run.err
    assert sorted(s["minutes"] for s in json.loads(run.out)) == [45, 60]

    assert_clean_failure(logged_in.run("export", "--format", "xml"), 2, "format")
