"""Loading documents as versions: validated, atomic, idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from levelup.lib.errors import Invalid
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.selectors import current_document
from levelup.roadmaps.services import (
    BUILTIN_SLUG,
    builtin_roadmaps_load,
    roadmap_load,
    roadmap_load_file,
)
from tests.roadmaps.conftest import TINY

pytestmark = pytest.mark.django_db


def test_loading_a_new_roadmap_stores_version_1() -> None:
    result = roadmap_load_file(path=TINY)
    assert result.created
    assert result.version.number == 1
    assert result.version.label == "1.0"
    assert result.roadmap.current_version == result.version
    assert result.roadmap.title == "A tiny roadmap"
    assert len(result.version.content_hash) == 64


def test_loading_identical_content_again_changes_nothing() -> None:
    first = roadmap_load_file(path=TINY)
    again = roadmap_load_file(path=TINY)
    assert not again.created
    assert again.version.pk == first.version.pk
    assert RoadmapVersion.objects.count() == 1


def test_comments_and_key_order_are_not_changes(
    tiny_data: dict[str, Any], write_yaml: Callable[..., Path]
) -> None:
    roadmap_load_file(path=TINY)
    reordered = dict(reversed(list(tiny_data.items())))
    path = write_yaml(reordered)
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert not roadmap_load_file(path=path).created
    assert RoadmapVersion.objects.count() == 1


def test_changed_content_becomes_version_2_and_version_1_is_kept(tiny_data: dict[str, Any]) -> None:
    first = roadmap_load(data=tiny_data)
    tiny_data["summary"] = "Two phases, now with a better summary."
    second = roadmap_load(data=tiny_data)
    assert second.created
    assert second.version.number == 2
    roadmap = Roadmap.objects.get(slug="tiny")
    assert roadmap.current_version_id == second.version.pk
    assert roadmap.summary == "Two phases, now with a better summary."
    first.version.refresh_from_db()
    assert first.version.document["summary"] == "Two phases, for tests."
    _, document = current_document("tiny")
    assert document.summary == "Two phases, now with a better summary."


def test_going_back_to_old_content_is_a_new_version(tiny_data: dict[str, Any]) -> None:
    roadmap_load(data=tiny_data)
    changed = {**tiny_data, "title": "Renamed"}
    roadmap_load(data=changed)
    third = roadmap_load(data=tiny_data)
    assert third.created
    assert third.version.number == 3


def test_an_invalid_document_writes_nothing_and_lists_every_problem(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["phases"][0]["month_end"] = 9
    tiny_data["projects"][0]["level"] = "expert"
    with pytest.raises(Invalid) as caught:
        roadmap_load(data=tiny_data)
    assert caught.value.status == 422
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"phases[0].month_end", "projects[0].level"}
    assert "2 problem(s)" in caught.value.message
    assert Roadmap.objects.count() == 0
    assert RoadmapVersion.objects.count() == 0


def test_an_invalid_new_version_leaves_the_current_one_in_place(tiny_data: dict[str, Any]) -> None:
    first = roadmap_load(data=tiny_data)
    tiny_data["summary"] = "changed"
    tiny_data["weekly_schedule"]["topic_category"] = "nope"
    with pytest.raises(Invalid):
        roadmap_load(data=tiny_data)
    roadmap = Roadmap.objects.get(slug="tiny")
    assert roadmap.current_version_id == first.version.pk
    assert roadmap.summary == "Two phases, for tests."
    assert RoadmapVersion.objects.count() == 1


def test_a_failure_half_way_through_rolls_everything_back(
    tiny_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The roadmap row and the version are written; pointing the roadmap at
    # the version (the last write) fails.
    original_save = Roadmap.save

    def explode(self: Roadmap, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields"):
            raise RuntimeError("disk full")
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(Roadmap, "save", explode)
    with pytest.raises(RuntimeError):
        roadmap_load(data=tiny_data)
    monkeypatch.undo()
    assert Roadmap.objects.count() == 0
    assert RoadmapVersion.objects.count() == 0


def test_warnings_are_returned_but_do_not_block_loading(tiny_data: dict[str, Any]) -> None:
    tiny_data["phases"][0]["sections"][0]["topics"][0]["month_end"] = 3
    result = roadmap_load(data=tiny_data)
    assert result.created
    assert [w.path for w in result.warnings] == ["phases[0].sections[0].topics[0]"]


def test_an_enrollment_keeps_the_version_it_pinned(tiny_data: dict[str, Any], alice: Any) -> None:
    from levelup.progress.models import Enrollment

    first = roadmap_load(data=tiny_data)
    enrollment = Enrollment.objects.create(
        user=alice,
        roadmap=first.roadmap,
        version=first.version,
        start_date=dt.date(2026, 1, 5),
        weekly_hours=Decimal("12"),
    )
    tiny_data["title"] = "A tiny roadmap, revised"
    second = roadmap_load(data=tiny_data)
    enrollment.refresh_from_db()
    assert second.version.number == 2
    assert enrollment.version_id == first.version.pk


def test_the_builtin_roadmaps_load_once() -> None:
    first = builtin_roadmaps_load()
    again = builtin_roadmaps_load()
    assert [r.roadmap.slug for r in first] == [BUILTIN_SLUG]
    assert first[0].created and not again[0].created
    assert first[0].roadmap.is_builtin
    roadmap, document = current_document(BUILTIN_SLUG)
    assert roadmap.current_version is not None and roadmap.current_version.number == 1
    assert document.counts()["subtopics"] == 104
