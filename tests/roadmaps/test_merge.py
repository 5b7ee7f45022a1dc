"""Forks take upstream updates by a three-way merge by item key."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from levelup.roadmaps.merge import merge_documents
from levelup.roadmaps.models import RoadmapVersion
from levelup.roadmaps.selectors import upstream_status
from levelup.roadmaps.services import fork_merge_upstream, roadmap_fork, roadmap_publish
from levelup.roadmaps.validation import validate_document

pytestmark = pytest.mark.django_db


def _topics(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["phases"][0]["sections"][0]["topics"]


@pytest.fixture
def upstream_and_fork(builtin: Any, alice: Any, staff: Any) -> Any:
    roadmap, _ = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    return roadmap, fork


def _edit(roadmap: Any, user: Any, change: Any) -> None:
    roadmap.refresh_from_db()
    data = copy.deepcopy(roadmap.current_version.document)
    change(data)
    roadmap_publish(roadmap=roadmap, user=user, data=data)
    roadmap.refresh_from_db()


def test_an_upstream_update_merges_without_conflicts(
    upstream_and_fork: Any, alice: Any, staff: Any
) -> None:
    upstream, fork = upstream_and_fork
    assert upstream_status(fork) is None

    def ours(data: dict[str, Any]) -> None:
        _topics(data)[0]["title"] = "Our algorithms"
        _topics(data)[0]["subtopics"].append({"slug": "our-extra", "title": "Our extra"})

    def theirs(data: dict[str, Any]) -> None:
        _topics(data)[1]["title"] = "Upstream OOP"
        data["projects"][0]["month_end"] = 5
        _topics(data)[1]["subtopics"].append({"slug": "patterns", "title": "Patterns"})

    _edit(fork, alice, ours)
    _edit(upstream, staff, theirs)
    found = upstream_status(fork)
    assert found is not None and found[1].number == 2
    result = fork_merge_upstream(
        roadmap=fork, user=alice, upstream_version=upstream.current_version, choices={}
    )
    assert result.created
    merged = result.version.document
    assert _topics(merged)[0]["title"] == "Our algorithms"
    assert _topics(merged)[0]["subtopics"][-1]["slug"] == "our-extra"
    assert _topics(merged)[1]["title"] == "Upstream OOP"
    assert _topics(merged)[1]["subtopics"][-1]["slug"] == "patterns"
    assert merged["projects"][0]["month_end"] == 5
    assert merged["slug"] == fork.slug
    fork.refresh_from_db()
    assert fork.forked_from_version == upstream.current_version
    assert upstream_status(fork) is None


def test_a_conflict_is_shown_side_by_side_and_needs_a_choice(
    upstream_and_fork: Any, alice: Any, staff: Any, web_for: Any
) -> None:
    upstream, fork = upstream_and_fork
    key = f"topic:{_topics(fork.current_version.document)[0]['slug']}"
    _edit(fork, alice, lambda d: _topics(d)[0].update(title="Alice's title"))
    _edit(upstream, staff, lambda d: _topics(d)[0].update(title="Upstream's title"))
    client = web_for(alice)
    versions = client.get(f"/roadmaps/{fork.slug}/versions/").content.decode()
    assert "published version 2 since you forked" in versions
    page = client.get(f"/roadmaps/{fork.slug}/upstream/").content.decode()
    assert "changed on both sides" in page
    assert "Alice&#x27;s title" in page and "Upstream&#x27;s title" in page
    # Without a choice nothing is published.
    refused = client.post(f"/roadmaps/{fork.slug}/upstream/", {})
    assert refused.status_code == 422
    assert RoadmapVersion.objects.filter(roadmap=fork).count() == 2
    done = client.post(f"/roadmaps/{fork.slug}/upstream/", {f"choice-{key}": "theirs"})
    assert done.status_code == 302
    fork.refresh_from_db()
    assert _topics(fork.current_version.document)[0]["title"] == "Upstream's title"
    assert fork.forked_from_version == upstream.current_version


def test_keeping_ours_in_a_conflict_keeps_our_edit(
    upstream_and_fork: Any, alice: Any, staff: Any
) -> None:
    upstream, fork = upstream_and_fork
    key = f"topic:{_topics(fork.current_version.document)[0]['slug']}"
    _edit(fork, alice, lambda d: _topics(d)[0].update(month_end=4))
    _edit(upstream, staff, lambda d: _topics(d)[0].update(month_end=3))
    result = fork_merge_upstream(
        roadmap=fork, user=alice, upstream_version=upstream.current_version, choices={key: "ours"}
    )
    assert _topics(result.version.document)[0]["month_end"] == 4


def test_an_upstream_removal_and_addition_are_taken(builtin_data: dict[str, Any]) -> None:
    base = builtin_data
    ours = copy.deepcopy(base)
    theirs = copy.deepcopy(base)
    removed = _topics(theirs)[0]["subtopics"].pop(0)
    _topics(theirs)[0]["subtopics"].insert(0, {"slug": "arrays", "title": "Arrays"})
    result = merge_documents(base=base, ours=ours, theirs=theirs)
    assert result.conflicts == []
    slugs = [s["slug"] for s in _topics(result.data)[0]["subtopics"]]
    assert removed["slug"] not in slugs and "arrays" in slugs
    assert validate_document(result.data).errors == []


def test_our_edit_against_an_upstream_removal_is_a_conflict(builtin_data: dict[str, Any]) -> None:
    base = builtin_data
    ours = copy.deepcopy(base)
    theirs = copy.deepcopy(base)
    _topics(ours)[0]["subtopics"][0]["title"] = "Edited by us"
    _topics(theirs)[0]["subtopics"].pop(0)
    result = merge_documents(base=base, ours=ours, theirs=theirs)
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert conflict.theirs is None and conflict.ours is not None
    assert conflict.ours["title"] == "Edited by us"
