"""The published JSON Schema is generated from the models and kept in sync."""

from __future__ import annotations

import json
from pathlib import Path

from levelup.roadmaps import jsonschema
from levelup.roadmaps.schema import RoadmapDocument


def test_the_committed_schema_matches_the_models() -> None:
    committed = jsonschema.SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == jsonschema.render(), (
        "docs/roadmap.schema.json is stale: run python -m levelup.roadmaps.jsonschema --write"
    )


def test_the_schema_is_the_models_schema_with_sorted_keys() -> None:
    published = json.loads(jsonschema.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert published == RoadmapDocument.model_json_schema()
    assert "phases" in published["required"]
    assert set(published["$defs"]) >= {"Phase", "Topic", "Subtopic", "Checkpoint", "Requirement"}


def test_check_fails_on_a_stale_file_and_write_fixes_it(tmp_path: Path) -> None:
    target = tmp_path / "roadmap.schema.json"
    target.write_text("{}\n", encoding="utf-8")
    assert jsonschema.main(["--check", "--path", str(target)]) == 1
    assert jsonschema.main(["--write", "--path", str(target)]) == 0
    assert jsonschema.main(["--check", "--path", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == jsonschema.render()
