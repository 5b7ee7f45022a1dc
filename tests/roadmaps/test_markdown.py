"""Markdown import (the seed README) and export round trips in YAML, JSON and Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from levelup.roadmaps.export import version_export
from levelup.roadmaps.markdown_io import FENCE, markdown_to_document
from levelup.roadmaps.safeparse import parse_json, parse_yaml
from levelup.roadmaps.services import roadmap_fork
from levelup.roadmaps.validation import validate_document

# The seed lives beside the repository, never inside it (see the README).
SEED = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "000_04f7acafb79f8727.txt"
)

needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"the seed roadmap is not at {SEED}")


@needs_seed
def test_the_seed_readme_imports_into_a_valid_roadmap() -> None:
    result = markdown_to_document(SEED.read_bytes())
    report = validate_document(result.data)
    assert report.errors == []
    document = report.document
    assert document is not None
    windows = [(p.month_start, p.month_end) for p in document.phases]
    assert windows == [(1, 6), (3, 9), (7, 12), (10, 18), (16, 24)]
    assert document.phases[0].title == "Foundation Strengthening"
    # The overview table gives each phase its focus and key skills.
    assert document.phases[1].key_skills == ("Node.js", "Databases", "REST APIs")
    counts = document.counts()
    assert counts["topics"] == 13 and counts["subtopics"] == 24
    assert counts["projects"] == 12
    assert [
        len([p for p in document.projects if p.level == lv.slug]) for lv in document.project_levels
    ] == [3, 3, 3, 3]
    assert [(lv.month_start, lv.month_end) for lv in document.project_levels] == [
        (1, 6),
        (6, 12),
        (12, 18),
        (18, 24),
    ]
    assert [c.month for c in document.checkpoints] == [6, 12, 18, 24]
    schedule = document.weekly_schedule
    assert [(c.min_hours, c.max_hours) for c in schedule.categories] == [(6, 8), (4, 6), (2, 3)]
    assert schedule.project_category == "practical-projects"
    assert document.duration_months == 24
    assert len(document.prerequisites) == 5 and len(document.how_to_use) == 7
    assert len(document.resources.books) == 4 and len(document.certifications) == 3
    assert document.licence == "MIT"


@needs_seed
def test_what_the_importer_cannot_place_is_a_warning_with_its_lines() -> None:
    result = markdown_to_document(SEED.read_bytes())
    text = SEED.read_text(encoding="utf-8").splitlines()
    warned = {w["message"].split("'")[1] for w in result.warnings if "'" in w["message"]}
    assert {"About", "Contributing", "Community", "Support"} <= warned
    for warning in result.warnings:
        first = int(warning["line"])
        assert text[first - 1].strip(), warning  # it names a line that has content
    about = next(w for w in result.warnings if "'About'" in w["message"])
    start, end = (int(n) for n in re.findall(r"\d+", about["field"]))
    assert "junior backend engineers" in " ".join(text[start - 1 : end])


@needs_seed
def test_the_seed_imports_through_the_api(api_for: Any, alice: Any) -> None:
    client = api_for(alice)
    response = client.generic(
        "POST",
        "/api/v1/roadmaps/import",
        SEED.read_bytes(),
        content_type="text/markdown",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1 and body["warnings"]
    assert all("line" in w for w in body["warnings"])
    document = client.get(f"/api/v1/roadmaps/{body['slug']}").json()
    assert len(document["phases"]) == 5 and len(document["projects"]) == 12


def test_an_empty_or_headingless_markdown_says_what_is_missing() -> None:
    result = markdown_to_document("Just a paragraph.\n")
    report = validate_document(result.data)
    assert report.errors  # no phases
    assert any(w["line"] == "1" for w in result.warnings)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["yaml", "json", "markdown"])
def test_export_then_import_gives_back_the_same_document(builtin: Any, fmt: str) -> None:
    roadmap, _ = builtin
    version = roadmap.current_version
    exported = version_export(version=version, fmt=fmt).content
    if fmt == "yaml":
        data = parse_yaml(exported)
    elif fmt == "json":
        data = parse_json(exported)
    else:
        data = markdown_to_document(exported).data
    assert data == version.document
    report = validate_document(data)
    assert report.ok


@pytest.mark.django_db
def test_the_readable_markdown_alone_keeps_the_structure(builtin: Any) -> None:
    roadmap, document = builtin
    text = version_export(version=roadmap.current_version, fmt="markdown").content
    readable = text[: text.index(f"```{FENCE}")]
    assert "# Junior to Senior Backend Engineer" in readable
    result = markdown_to_document(readable)
    report = validate_document(result.data)
    assert report.errors == []
    again = report.document
    assert again is not None
    assert [(p.title, p.month_start, p.month_end) for p in again.phases] == [
        (p.title, p.month_start, p.month_end) for p in document.phases
    ]
    topics = lambda d: [  # noqa: E731
        (t.title, [s.title for s in t.subtopics])
        for p in d.phases
        for s in p.sections
        for t in s.topics
    ]
    assert topics(again) == topics(document)
    assert [(p.title, p.month_start, p.month_end) for p in again.projects] == [
        (p.title, p.month_start, p.month_end) for p in document.projects
    ]
    assert [c.month for c in again.checkpoints] == [c.month for c in document.checkpoints]
    assert [(c.min_hours, c.max_hours) for c in again.weekly_schedule.categories] == [
        (c.min_hours, c.max_hours) for c in document.weekly_schedule.categories
    ]


@pytest.mark.django_db
def test_exports_are_linked_and_served_for_any_version(
    builtin: Any, alice: Any, web_for: Any
) -> None:
    roadmap, _ = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    client = web_for(alice)
    page = client.get(f"/roadmaps/{fork.slug}/").content.decode()
    for fmt in ("yaml", "json", "markdown"):
        assert f"/roadmaps/{fork.slug}/export/?format={fmt}&amp;version=1" in page
    response = client.get(f"/roadmaps/{fork.slug}/export/?format=json&version=1")
    assert response.status_code == 200
    assert 'filename="alice-backend-junior-to-senior-v1.json"' in response["Content-Disposition"]
    assert json.loads(response.content)["slug"] == fork.slug
