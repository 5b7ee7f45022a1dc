"""`levelup --help` and the learner commands never load Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_importing_the_cli_loads_neither_django_nor_httpx() -> None:
    code = (
        "import sys, levelup.cli.main\n"
        "roots = ('django', 'ninja', 'httpx')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in roots)\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_help_shows_a_learners_first_five_minutes() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "levelup.cli", "--help"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "120", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        check=True,
    )
    assert "first five minutes" in out.stdout
    assert "levelup login http://127.0.0.1:8000" in out.stdout
    assert "levelup log 1h30m theory" in out.stdout
    assert "/accounts/tokens/" in out.stdout


def test_a_learner_command_runs_without_django_settings() -> None:
    # `log` with a bad duration fails before any network or Django work.
    code = (
        "import sys\n"
        "sys.argv = ['levelup', 'log', 'soon', 'theory']\n"
        "from levelup.cli.main import app\n"
        "try:\n"
        "    app()\n"
        "except SystemExit as exc:\n"
        "    assert not any(m.startswith('django') for m in sys.modules), 'django imported'\n"
        "    raise\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.startswith("error: duration 'soon'")
    assert "django imported" not in out.stderr


def test_help_loads_neither_django_nor_httpx_nor_pydantic() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['levelup', '--help']\n"
        "from levelup.cli.main import app\n"
        "try:\n"
        "    app()\n"
        "except SystemExit:\n"
        "    pass\n"
        "roots = {m.split('.')[0] for m in sys.modules}\n"
        "print(','.join(sorted(roots & {'django', 'ninja', 'httpx', 'pydantic'})), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stderr.strip() == ""


def _imported(importtime_stderr: str) -> set[str]:
    """Top-level package names from `python -X importtime` output."""
    names = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def _run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "levelup.cli", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "100", **env},
        check=False,
    )


def test_help_never_imports_django_and_repeats_come_from_the_saved_copy(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path)}
    first = _run_cli("--help", env=env)
    assert first.returncode == 0, first.stderr
    assert "first five minutes" in first.stdout
    assert not _imported(first.stderr) & {"django", "ninja", "httpx", "pydantic"}
    assert "typer" in _imported(first.stderr)  # rendered by Typer the first time

    again = _run_cli("--help", env=env)
    assert again.returncode == 0
    assert again.stdout == first.stdout
    # The saved copy: no Typer, no Rich, nothing of the server stack.
    assert not _imported(again.stderr) & {"typer", "click", "rich", "django", "httpx"}

    # A different terminal width renders afresh, at that width.
    wide = _run_cli("--help", env={**env, "COLUMNS": "140"})
    assert wide.returncode == 0
    assert "typer" in _imported(wide.stderr)
    assert max(len(line) for line in wide.stdout.splitlines()) > 100


def test_a_commands_help_is_saved_separately(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path)}
    top = _run_cli("--help", env=env)
    log = _run_cli("log", "--help", env=env)
    log_again = _run_cli("log", "--help", env=env)
    assert "DURATION" in log.stdout and "DURATION" not in top.stdout
    assert log_again.stdout == log.stdout


def test_completion_never_imports_django(tmp_path: Path) -> None:
    run = _run_cli(
        env={
            "XDG_CACHE_HOME": str(tmp_path),
            "HOME": str(tmp_path),
            "_LEVELUP_CLI_COMPLETE": "complete_bash",
            "COMP_WORDS": "levelup lo",
            "COMP_CWORD": "1",
        }
    )
    assert "login" in run.stdout.split() and "log" in run.stdout.split(), run.stdout + run.stderr
    assert not _imported(run.stderr) & {"django", "ninja", "httpx", "pydantic"}
