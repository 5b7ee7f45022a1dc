"""The example in docs/roadmap-format.md is a valid roadmap."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from levelup.roadmaps.validation import validate_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "roadmap-format.md"


def test_the_documented_example_validates_cleanly() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example is not None
    report = validate_document(yaml.safe_load(example.group(1)))
    assert report.errors == []
    assert report.warnings == []
    assert report.document is not None
    assert "topic:git/rebasing" in report.document.items
