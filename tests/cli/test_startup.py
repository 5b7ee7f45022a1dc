"""`levelup --help` and the learner commands never load Django."""

from __future__ import annotations

import subprocess
import sys


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
