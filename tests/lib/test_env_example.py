""".env.example documents every variable the server reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READER = re.compile(r"env_(?:str|bool|int|choice|list|url)\(\s*\"([A-Z][A-Z0-9_]*)\"")


def variables_read() -> set[str]:
    sources = [ROOT / "levelup" / "settings.py", *(ROOT / "levelup" / "lib").glob("*.py")]
    found: set[str] = set()
    for source in sources:
        found |= set(READER.findall(source.read_text()))
    return found


def variables_documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_the_scan_finds_the_settings_readers() -> None:
    # Guards the regular expression: if it stopped matching, the next test would pass vacuously.
    assert {
        "LEVELUP_ENV",
        "SECRET_KEY",
        "LEVELUP_LOGIN_FAILURE_LIMIT",
        "REDIS_URL",
    } <= variables_read()


def test_every_variable_read_in_settings_and_lib_is_documented() -> None:
    missing = variables_read() - variables_documented()
    assert not missing, f".env.example lacks {sorted(missing)}"
