"""Helpers for roadmap tests: fresh, mutable copies of the fixture documents."""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from levelup.roadmaps.services import BUILTIN_DIR, BUILTIN_SLUG

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TINY = FIXTURES / "tiny.yaml"
BROKEN = FIXTURES / "broken.yaml"
BUILTIN_FILE = BUILTIN_DIR / f"{BUILTIN_SLUG}.yaml"


@cache
def _parsed(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def tiny_data() -> dict[str, Any]:
    """tests/fixtures/tiny.yaml as plain data, safe to change."""
    return copy.deepcopy(_parsed(TINY))


@pytest.fixture
def builtin_data() -> dict[str, Any]:
    """The built-in roadmap as plain data, safe to change."""
    return copy.deepcopy(_parsed(BUILTIN_FILE))


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[Any, str], Path]:
    """Write data as a YAML file under tmp_path and return its path."""

    def write(data: Any, name: str = "roadmap.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    return write
