"""Every validation rule, reported with the path to the offending value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from levelup.roadmaps.validation import ValidationReport, format_loc, validate_document
from tests.roadmaps.conftest import TINY

Data = dict[str, Any]

TOPIC_A = "phases[0].sections[0].topics[0]"  # alpha, months 1-2 of 4, phase 1-2
TOPIC_B = "phases[1].sections[0].topics[0]"  # beta, months 3-4, requires alpha


def errors(data: Any) -> dict[str, str]:
    report = validate_document(data)
    assert report.document is None, "expected the document to be refused"
    return {p.path: p.message for p in report.errors}


def test_the_tiny_fixture_is_valid(tiny_data: Data) -> None:
    report = validate_document(tiny_data)
    assert report.ok
    assert report.errors == [] and report.warnings == []


def test_format_loc_joins_names_and_indexes() -> None:
    assert (
        format_loc(("phases", 2, "sections", 0, "month_end")) == "phases[2].sections[0].month_end"
    )
    assert format_loc(()) == "(document)"


# -- shape --------------------------------------------------------------------


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    assert errors(["a", "list"]) == {"(document)": "a roadmap must be a mapping of fields"}


def test_shape_errors_name_every_bad_field(tiny_data: Data) -> None:
    del tiny_data["title"]
    tiny_data["phases"][0]["month_start"] = "soon"
    tiny_data["phases"][1]["sections"][0]["topics"][0]["colour"] = "red"
    tiny_data["projects"][0]["slug"] = "Build It"
    found = errors(tiny_data)
    assert set(found) == {
        "title",
        "phases[0].month_start",
        "phases[1].sections[0].topics[0].colour",
        "projects[0].slug",
    }
    assert "required" in found["title"].lower()
    assert "not a field" in found["phases[1].sections[0].topics[0].colour"]
    assert "lowercase" in found["projects[0].slug"]


def test_a_month_outside_1_to_240_is_a_shape_error(tiny_data: Data) -> None:
    tiny_data["checkpoints"][0]["month"] = 0
    assert set(errors(tiny_data)) == {"checkpoints[0].month"}


# -- windows ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locate", "path"),
    [
        (lambda d: d["phases"][1], "phases[1]"),
        (lambda d: d["phases"][0]["sections"][0]["topics"][0], TOPIC_A),
        (lambda d: d["projects"][0], "projects[0]"),
        (lambda d: d["project_levels"][0], "project_levels[0]"),
    ],
)
def test_a_reversed_window_is_an_error_at_month_end(
    tiny_data: Data, locate: Callable[[Data], Data], path: str
) -> None:
    part = locate(tiny_data)
    part["month_start"], part["month_end"] = 3, 2
    found = errors(tiny_data)
    assert f"{path}.month_end" in found
    assert "before the start" in found[f"{path}.month_end"]


def test_a_window_past_the_duration_is_an_error(tiny_data: Data) -> None:
    tiny_data["phases"][1]["month_end"] = 5
    tiny_data["phases"][1]["sections"][0]["topics"][0].update(month_start=5, month_end=6)
    tiny_data["projects"][0]["month_end"] = 9
    tiny_data["checkpoints"][0]["month"] = 7
    found = errors(tiny_data)
    assert found.keys() >= {
        "phases[1].month_end",
        f"{TOPIC_B}.month_start",
        f"{TOPIC_B}.month_end",
        "projects[0].month_end",
        "checkpoints[0].month",
    }
    assert "after the last month (4)" in found["projects[0].month_end"]


def test_a_topic_outside_its_phase_is_a_warning_not_an_error(tiny_data: Data) -> None:
    tiny_data["phases"][0]["sections"][0]["topics"][0]["month_end"] = 3  # phase ends in month 2
    report = validate_document(tiny_data)
    assert report.ok
    assert report.errors == []
    assert [w.path for w in report.warnings] == [TOPIC_A]
    assert "1-3" in report.warnings[0].message and "1-2" in report.warnings[0].message


def test_a_project_outside_its_level_is_a_warning(tiny_data: Data) -> None:
    tiny_data["project_levels"][0]["month_end"] = 3
    report = validate_document(tiny_data)
    assert report.ok
    assert [w.path for w in report.warnings] == ["projects[0]"]


# -- duplicate slugs ------------------------------------------------------------


def _duplicate_topic(d: Data) -> str:
    topics = d["phases"][1]["sections"][0]["topics"]
    topics.append({**topics[0], "slug": "alpha", "prerequisites": []})
    return "phases[1].sections[0].topics[1].slug"


def _duplicate(listing: Callable[[Data], list[Any]], path: str, key: str = "slug") -> Any:
    def mutate(d: Data) -> str:
        items = listing(d)
        items.append(dict(items[0]))
        return f"{path}[{len(items) - 1}].{key}"

    return mutate


@pytest.mark.parametrize(
    "mutate",
    [
        _duplicate(lambda d: d["phases"], "phases"),
        _duplicate(lambda d: d["phases"][0]["sections"], "phases[0].sections"),
        _duplicate_topic,
        _duplicate(
            lambda d: d["phases"][0]["sections"][0]["topics"][0]["subtopics"],
            f"{TOPIC_A}.subtopics",
        ),
        _duplicate(lambda d: d["project_levels"], "project_levels"),
        _duplicate(lambda d: d["projects"], "projects"),
        _duplicate(lambda d: d["checkpoints"], "checkpoints"),
        _duplicate(lambda d: d["checkpoints"][0]["criteria"], "checkpoints[0].criteria"),
        _duplicate(lambda d: d["weekly_schedule"]["categories"], "weekly_schedule.categories"),
        _duplicate(lambda d: d["prerequisites"], "prerequisites"),
        _duplicate(lambda d: d["how_to_use"], "how_to_use"),
        _duplicate(lambda d: d["certifications"], "certifications"),
        _duplicate(lambda d: d["daily_routine"], "daily_routine", key="slot"),
    ],
    ids=[
        "phase",
        "section",
        "topic",
        "subtopic",
        "project-level",
        "project",
        "checkpoint",
        "criterion",
        "category",
        "prerequisite",
        "how-to-step",
        "certification",
        "routine-slot",
    ],
)
def test_a_duplicate_slug_is_an_error_at_the_second_one(
    tiny_data: Data, mutate: Callable[[Data], str]
) -> None:
    tiny_data["prerequisites"] = [{"slug": "js", "text": "Some JavaScript"}]
    tiny_data["how_to_use"] = [{"slug": "start", "text": "Start at the top"}]
    tiny_data["certifications"] = [{"slug": "cert", "title": "A certificate"}]
    tiny_data["daily_routine"] = [
        {
            "slot": "morning",
            "title": "Morning",
            "days": "weekdays",
            "min_hours": 1,
            "max_hours": 1,
            "activity": "Reading",
        }
    ]
    assert validate_document(tiny_data).ok
    path = mutate(tiny_data)
    found = errors(tiny_data)
    assert path in found, found
    assert "duplicate" in found[path]


# -- references -----------------------------------------------------------------


def test_unknown_references_are_errors_everywhere(tiny_data: Data) -> None:
    alpha = tiny_data["phases"][0]["sections"][0]["topics"][0]
    alpha["prerequisites"] = ["topic:nowhere"]
    alpha["subtopics"][0]["prerequisites"] = ["topic:alpha/missing"]
    alpha["category"] = "reading"
    project = tiny_data["projects"][0]
    project["level"] = "expert"
    project["related_topics"] = ["alpha", "gamma"]
    project["prerequisites"] = ["project:other"]
    project["category"] = "tinkering"
    tiny_data["checkpoints"][0]["criteria"][0]["requirement"]["items"] = ["project:ghost"]
    tiny_data["weekly_schedule"]["topic_category"] = "study"
    tiny_data["weekly_schedule"]["project_category"] = "build"
    tiny_data["certifications"] = [{"slug": "c", "title": "C", "related_topics": ["omega"]}]
    found = errors(tiny_data)
    not_a_category = "(not in weekly_schedule.categories)"
    assert found == {
        f"{TOPIC_A}.prerequisites[0]": "unknown item 'topic:nowhere'",
        f"{TOPIC_A}.subtopics[0].prerequisites[0]": "unknown item 'topic:alpha/missing'",
        f"{TOPIC_A}.category": f"unknown category 'reading' {not_a_category}",
        "projects[0].level": "unknown project level 'expert'",
        "projects[0].related_topics[1]": "unknown topic 'gamma'",
        "projects[0].prerequisites[0]": "unknown item 'project:other'",
        "projects[0].category": f"unknown category 'tinkering' {not_a_category}",
        "checkpoints[0].criteria[0].requirement.items[0]": "unknown item 'project:ghost'",
        "weekly_schedule.topic_category": f"unknown category 'study' {not_a_category}",
        "weekly_schedule.project_category": f"unknown category 'build' {not_a_category}",
        "certifications[0].related_topics[0]": "unknown topic 'omega'",
    }


def test_a_checkpoint_cannot_be_a_prerequisite_or_evidence(tiny_data: Data) -> None:
    tiny_data["projects"][0]["prerequisites"] = ["checkpoint:month-4"]
    tiny_data["checkpoints"][0]["criteria"][0]["requirement"]["items"] = ["checkpoint:month-4"]
    found = errors(tiny_data)
    assert "is a checkpoint" in found["projects[0].prerequisites[0]"]
    assert "is a checkpoint" in found["checkpoints[0].criteria[0].requirement.items[0]"]


# -- requirements -----------------------------------------------------------------


def test_requirement_rules(tiny_data: Data) -> None:
    criteria = tiny_data["checkpoints"][0]["criteria"]
    criteria[0]["requirement"] = {"kind": "items", "items": ["project:build-it"], "minimum": 2}
    criteria[1]["requirement"] = {"kind": "evidence", "items": ["topic:alpha"], "minimum": 1}
    criteria.append({"slug": "empty", "text": "Nothing", "requirement": {"kind": "items"}})
    criteria.append(
        {
            "slug": "twice",
            "text": "Twice",
            "requirement": {"kind": "items", "items": ["topic:alpha", "topic:alpha"]},
        }
    )
    found = errors(tiny_data)
    base = "checkpoints[0].criteria"
    assert found == {
        f"{base}[0].requirement.minimum": "asks for 2 items but names only 1",
        f"{base}[1].requirement.items": "an evidence requirement names no items",
        f"{base}[1].requirement.minimum": "an evidence requirement has no minimum",
        f"{base}[2].requirement.items": "an items requirement names at least one item",
        f"{base}[3].requirement.items[1]": "'topic:alpha' is named twice",
    }


# -- prerequisites -------------------------------------------------------------------


def test_a_prerequisite_cycle_is_an_error_naming_the_items(tiny_data: Data) -> None:
    # beta already requires alpha; closing the loop makes a cycle.
    tiny_data["phases"][0]["sections"][0]["topics"][0]["prerequisites"] = ["topic:beta"]
    found = errors(tiny_data)
    assert len(found) == 1
    (path, message) = next(iter(found.items()))
    assert path in {f"{TOPIC_A}.prerequisites", f"{TOPIC_B}.prerequisites"}
    assert message.startswith("prerequisite cycle: ")
    assert "topic:alpha" in message and "topic:beta" in message


def test_a_longer_cycle_through_subtopics_and_projects_is_found_once(tiny_data: Data) -> None:
    alpha = tiny_data["phases"][0]["sections"][0]["topics"][0]
    alpha["subtopics"][0]["prerequisites"] = ["project:build-it"]
    tiny_data["projects"][0]["prerequisites"] = ["topic:beta"]
    alpha["prerequisites"] = ["topic:alpha/one"]
    report = validate_document(tiny_data)
    cycles = [p for p in report.errors if "cycle" in p.message]
    assert len(cycles) == 1
    for key in ("topic:alpha", "topic:alpha/one", "project:build-it", "topic:beta"):
        assert key in cycles[0].message


def test_an_item_cannot_require_itself(tiny_data: Data) -> None:
    tiny_data["projects"][0]["prerequisites"] = ["project:build-it"]
    assert errors(tiny_data) == {"projects[0].prerequisites[0]": "an item cannot require itself"}


def test_a_long_prerequisite_chain_is_fine(tiny_data: Data) -> None:
    subtopics = [{"slug": f"s{n}", "title": f"S{n}"} for n in range(3000)]
    for n in range(1, 3000):
        subtopics[n]["prerequisites"] = [f"topic:alpha/s{n - 1}"]
    tiny_data["phases"][0]["sections"][0]["topics"][0]["subtopics"] = subtopics
    assert validate_document(tiny_data).ok


# -- min above max ---------------------------------------------------------------------


def test_min_above_max_is_an_error_for_schedule_categories_and_routine(tiny_data: Data) -> None:
    schedule = tiny_data["weekly_schedule"]
    schedule["min_hours"], schedule["max_hours"] = 8, 6
    schedule["categories"][1].update(min_hours=3, max_hours=2)
    schedule["practice_problems_min"], schedule["practice_problems_max"] = 5, 4
    tiny_data["daily_routine"] = [
        {
            "slot": "evening",
            "title": "Evening",
            "days": "weekdays",
            "min_hours": 2,
            "max_hours": 1.5,
            "activity": "Project work",
        }
    ]
    found = errors(tiny_data)
    assert found == {
        "weekly_schedule.min_hours": "8 is above max_hours (6)",
        "weekly_schedule.categories[1].min_hours": "3 is above max_hours (2)",
        "weekly_schedule.practice_problems_min": "5 is above practice_problems_max (4)",
        "daily_routine[0].min_hours": "2 is above max_hours (1.5)",
    }


# -- everything at once ----------------------------------------------------------------


def test_many_problems_are_reported_at_once_with_paths(builtin_data: Data) -> None:
    version_control = builtin_data["phases"][2]["sections"][0]["topics"]
    version_control.append(
        {"slug": "git-internals", "title": "Git internals", "month_start": 9, "month_end": 8}
    )
    builtin_data["phases"][0]["sections"][1]["topics"][0]["slug"] = "data-structures-algorithms"
    builtin_data["projects"][3]["related_topics"] = ["kafka"]
    builtin_data["weekly_schedule"]["categories"][2]["min_hours"] = 4
    builtin_data["checkpoints"][3]["month"] = 30
    report: ValidationReport = validate_document(builtin_data)
    assert report.document is None
    paths = [p.path for p in report.errors]
    assert paths == [
        "phases[2].sections[0].topics[1].month_end",
        "phases[0].sections[1].topics[0].slug",
        "projects[3].related_topics[0]",
        "checkpoints[3].month",
        "weekly_schedule.categories[2].min_hours",
    ]


def test_an_empty_list_that_needs_entries_is_a_shape_error(tiny_data: Data) -> None:
    tiny_data["phases"][0]["sections"][0]["topics"] = []
    found = errors(tiny_data)
    assert list(found) == ["phases[0].sections[0].topics"]


@settings(max_examples=60, deadline=None)
@given(windows=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6)), min_size=2, max_size=2))
def test_window_errors_match_the_rules_for_any_months(windows: list[tuple[int, int]]) -> None:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    expected: set[str] = set()
    for (start, end), path, phase in zip(windows, (TOPIC_A, TOPIC_B), data["phases"], strict=True):
        phase["sections"][0]["topics"][0].update(month_start=start, month_end=end)
        if start > end or end > 4:
            expected.add(f"{path}.month_end")
        if start > 4:
            expected.add(f"{path}.month_start")
    report = validate_document(data)
    assert {p.path for p in report.errors} == expected
    assert report.ok == (not expected)
