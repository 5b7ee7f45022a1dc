"""Mentoring sits above the apps it reads: none of them imports it, not even lazily."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "levelup"
LOWER = ("lib", "accounts", "roadmaps", "progress", "journal", "planning")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_lower_app_imports_mentoring() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for app in LOWER
        for path in (PACKAGE / app).rglob("*.py")
        if any(name.startswith("levelup.mentoring") for name in _imports(path))
    ]
    assert (PACKAGE / "progress" / "models.py").exists()
    assert offenders == []


def test_the_scan_sees_mentorings_own_imports() -> None:
    # Guards the scan: mentoring does import progress, so the parser must see it.
    assert "levelup.progress.models" in _imports(PACKAGE / "mentoring" / "models.py")
