"""Moving an enrollment to a newer roadmap version keeps everything the learner did."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from levelup.journal.models import JournalEntry, StudySession
from levelup.journal.services import journal_entry_create, study_session_log
from levelup.progress.models import ArchivedItem, Evidence, ItemProgress, ProgressEvent
from levelup.progress.services import enrollment_create, evidence_add, item_update
from levelup.roadmaps.models import Visibility
from levelup.roadmaps.services import (
    roadmap_fork,
    roadmap_publish,
    roadmap_settings_update,
)

pytestmark = pytest.mark.django_db

TOPIC = "topic:data-structures-algorithms"
SUB_KEPT = f"{TOPIC}/linear-structures"
SUB_REMOVED = f"{TOPIC}/sorting-algorithms"
RENAMED_OLD = "topic:object-oriented-programming"
RENAMED_NEW = "topic:oop-and-design"


def _topics(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["phases"][0]["sections"][0]["topics"]


@pytest.fixture
def fork_and_learner(builtin: Any, alice: Any, bob: Any) -> Any:
    """alice's public fork at v1; bob enrolled on v1 with progress of every kind."""
    roadmap, _ = builtin
    fork = roadmap_fork(user=alice, source=roadmap).roadmap
    roadmap_settings_update(roadmap=fork, visibility=Visibility.PUBLIC)
    enrollment = enrollment_create(user=bob, roadmap_slug=fork.slug)
    item_update(enrollment=enrollment, actor=bob, item_key=SUB_KEPT, status="done", notes="arrays!")
    item_update(
        enrollment=enrollment, actor=bob, item_key=SUB_REMOVED, status="done", notes="quicksort"
    )
    item_update(enrollment=enrollment, actor=bob, item_key=RENAMED_OLD, rating=3, notes="SOLID")
    evidence_add(
        enrollment=enrollment,
        actor=bob,
        item_key=SUB_REMOVED,
        title="My sorting notes",
        url="https://example.com/sort",
    )
    evidence_add(
        enrollment=enrollment,
        actor=bob,
        item_key=RENAMED_OLD,
        title="Shapes kata",
        url="https://example.com/oop",
    )
    study_session_log(enrollment=enrollment, minutes=90, category="theory", item_key=RENAMED_OLD)
    study_session_log(enrollment=enrollment, minutes=45, category="theory", item_key=SUB_REMOVED)
    study_session_log(enrollment=enrollment, minutes=30, category="theory", item_key=SUB_KEPT)
    journal_entry_create(
        enrollment=enrollment, title="Week one", body="Classes.", item_keys=[RENAMED_OLD]
    )
    return fork, enrollment


def _rename_refs(data: dict[str, Any], old: str, new: str) -> None:
    """Point prerequisites and checkpoint requirements at a renamed key."""
    for phase in data["phases"]:
        for section in phase["sections"]:
            for topic in section["topics"]:
                topic["prerequisites"] = [
                    new if k == old else k for k in topic.get("prerequisites", [])
                ]
    for project in data.get("projects", []):
        project["prerequisites"] = [
            new if k == old else k for k in project.get("prerequisites", [])
        ]
    for checkpoint in data.get("checkpoints", []):
        for criterion in checkpoint["criteria"]:
            items = criterion["requirement"].get("items", [])
            criterion["requirement"]["items"] = [new if k == old else k for k in items]


def _drop_refs(data: dict[str, Any], key: str) -> None:
    for checkpoint in data.get("checkpoints", []):
        for criterion in checkpoint["criteria"]:
            requirement = criterion["requirement"]
            if key in requirement.get("items", []):
                requirement["items"] = [k for k in requirement["items"] if k != key]
                if requirement.get("minimum"):
                    requirement["minimum"] = min(requirement["minimum"], len(requirement["items"]))


def _publish_v2(fork: Any, alice: Any) -> Any:
    """Remove a subtopic, rename a topic (renamed_from), retitle another, add a subtopic."""
    data = copy.deepcopy(fork.current_version.document)
    topics = _topics(data)
    topics[0]["subtopics"] = [
        s for s in topics[0]["subtopics"] if s["slug"] != "sorting-algorithms"
    ]
    topics[0]["subtopics"].append({"slug": "heaps", "title": "Heaps"})
    topics[0]["title"] = "Algorithms and data structures"
    topics[1]["slug"] = "oop-and-design"
    topics[1]["renamed_from"] = [RENAMED_OLD]
    _rename_refs(data, RENAMED_OLD, RENAMED_NEW)
    _drop_refs(data, SUB_REMOVED)
    return roadmap_publish(roadmap=fork, user=alice, data=data)


def test_a_learner_on_v1_moves_to_v2_and_keeps_everything(
    fork_and_learner: Any, alice: Any, bob: Any, api_for: Any
) -> None:
    fork, enrollment = fork_and_learner
    result = _publish_v2(fork, alice)
    assert result.created and result.version.number == 2

    client = api_for(bob)
    preview = client.get(f"/api/v1/enrollments/{enrollment.pk}/upgrade").json()
    assert preview["current_version"] == 1 and preview["version"] == 2
    assert preview["archived"] == [SUB_REMOVED]
    assert preview["renamed"] == {RENAMED_OLD: RENAMED_NEW}
    assert f"{TOPIC}/heaps" in preview["added"]

    response = client.post(f"/api/v1/enrollments/{enrollment.pk}/upgrade", {"version": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["archived"] == [SUB_REMOVED]
    assert SUB_KEPT in body["carried"] and RENAMED_NEW in body["carried"]

    enrollment.refresh_from_db()
    assert enrollment.version.number == 2
    rows = {r.item_key: r for r in ItemProgress.objects.filter(enrollment=enrollment)}
    # Unchanged keys keep status and notes; the renamed topic keeps rating and notes.
    assert rows[SUB_KEPT].status == "done" and rows[SUB_KEPT].notes == "arrays!"
    assert rows[RENAMED_NEW].rating == 3 and rows[RENAMED_NEW].notes == "SOLID"
    assert RENAMED_OLD not in rows and SUB_REMOVED not in rows
    # Evidence, events, sessions and journal entries follow the rename.
    assert Evidence.objects.get(enrollment=enrollment, title="Shapes kata").item_key == RENAMED_NEW
    assert ProgressEvent.objects.filter(enrollment=enrollment, item_key=RENAMED_NEW).exists()
    assert not ProgressEvent.objects.filter(enrollment=enrollment, item_key=RENAMED_OLD).exists()
    sessions = dict(
        StudySession.objects.filter(enrollment=enrollment).values_list("item_key", "minutes")
    )
    assert sessions[RENAMED_NEW] == 90 and sessions[SUB_KEPT] == 30
    assert JournalEntry.objects.get(enrollment=enrollment).item_keys == [RENAMED_NEW]
    # The removed subtopic's progress is archived with its evidence and logged time.
    archived = ArchivedItem.objects.get(enrollment=enrollment)
    assert archived.item_key == SUB_REMOVED
    assert (archived.status, archived.notes) == ("done", "quicksort")
    assert archived.evidence[0]["title"] == "My sorting notes"
    assert archived.logged_minutes == 45
    assert (archived.from_version, archived.to_version) == (1, 2)
    listed = client.get(f"/api/v1/enrollments/{enrollment.pk}/archived-items").json()
    assert [a["item_key"] for a in listed] == [SUB_REMOVED]
    # The move is history too.
    assert ProgressEvent.objects.filter(
        enrollment=enrollment, kind="enrollment", to_value="version 2"
    ).exists()


def test_pages_show_a_pinned_learner_their_own_version_until_they_move(
    fork_and_learner: Any, alice: Any, bob: Any, web_for: Any
) -> None:
    fork, enrollment = fork_and_learner
    _publish_v2(fork, alice)
    client = web_for(bob)
    page = client.get(f"/roadmaps/{fork.slug}/topics/data-structures-algorithms/").content.decode()
    # v1 content: the removed subtopic is still there with bob's status; no new one.
    assert "Sorting" in page and "Heaps" not in page
    assert "Version 2 is available" in page
    # The Done button of a subtopic on bob's version works (no 404).
    response = client.post(
        f"/enrollments/{enrollment.pk}/status/",
        {"item_key": f"{TOPIC}/search-algorithms", "status": "done", "next": "/"},
    )
    assert response.status_code == 302
    # The old topic page still answers for bob, and the new slug is not his yet.
    assert (
        client.get(f"/roadmaps/{fork.slug}/topics/object-oriented-programming/").status_code == 200
    )
    assert client.get(f"/roadmaps/{fork.slug}/topics/oop-and-design/").status_code == 404
    # "What changes for you", then the move.
    upgrade = client.get(f"/enrollments/{enrollment.pk}/upgrade/").content.decode()
    assert "Version 2 is available: what changes for you" in upgrade
    assert SUB_REMOVED in upgrade and RENAMED_NEW in upgrade
    assert client.post(f"/enrollments/{enrollment.pk}/upgrade/").status_code == 302
    page = client.get(f"/roadmaps/{fork.slug}/topics/data-structures-algorithms/").content.decode()
    assert "Heaps" in page and "Version 2 is available" not in page
    archive = client.get(f"/enrollments/{enrollment.pk}/archived/").content.decode()
    assert "quicksort" in archive and "My sorting notes" in archive


def test_a_visitor_not_enrolled_sees_the_current_version_and_any_version_on_request(
    fork_and_learner: Any, alice: Any, web_for: Any
) -> None:
    fork, _ = fork_and_learner
    _publish_v2(fork, alice)
    client = web_for(None)
    page = client.get(f"/roadmaps/{fork.slug}/topics/data-structures-algorithms/")
    assert "Heaps" in page.content.decode()
    old = client.get(f"/roadmaps/{fork.slug}/topics/data-structures-algorithms/?version=1")
    assert "Heaps" not in old.content.decode() and "This is version 1" in old.content.decode()
    assert client.get(f"/roadmaps/{fork.slug}/?version=9").status_code == 404


def test_renames_chain_across_versions(fork_and_learner: Any, alice: Any, api_for: Any) -> None:
    fork, enrollment = fork_and_learner
    _publish_v2(fork, alice)
    # v3 renames again and no longer mentions the first rename.
    data = copy.deepcopy(fork.current_version.document)
    topic = _topics(data)[1]
    topic["slug"] = "design-fundamentals"
    topic["renamed_from"] = [RENAMED_NEW]
    _rename_refs(data, RENAMED_NEW, "topic:design-fundamentals")
    roadmap_publish(roadmap=fork, user=alice, data=data)
    body = (
        api_for(enrollment.user)
        .post(f"/api/v1/enrollments/{enrollment.pk}/upgrade", {"version": 3})
        .json()
    )
    assert body["renamed"][RENAMED_OLD] == "topic:design-fundamentals"
    row = ItemProgress.objects.get(enrollment=enrollment, item_key="topic:design-fundamentals")
    assert row.notes == "SOLID"


def test_moving_backwards_or_to_a_missing_version_is_refused(
    fork_and_learner: Any, alice: Any, api_for: Any
) -> None:
    _, enrollment = fork_and_learner
    client = api_for(enrollment.user)
    before = list(
        ItemProgress.objects.filter(enrollment=enrollment).values_list("item_key", "status")
    )
    same = client.post(f"/api/v1/enrollments/{enrollment.pk}/upgrade", {"version": 1})
    assert same.status_code == 422
    assert same.json()["errors"][0]["field"] == "version"
    missing = client.post(f"/api/v1/enrollments/{enrollment.pk}/upgrade", {"version": 7})
    assert missing.status_code == 404
    after = list(
        ItemProgress.objects.filter(enrollment=enrollment).values_list("item_key", "status")
    )
    assert after == before


@pytest.mark.parametrize("who", ["anonymous", "other", "staff"])
def test_only_the_learner_can_move_their_enrollment(
    fork_and_learner: Any, alice: Any, staff: Any, api_for: Any, web_for: Any, who: str
) -> None:
    fork, enrollment = fork_and_learner
    _publish_v2(fork, alice)
    user = {"anonymous": None, "other": alice, "staff": staff}[who]
    api = api_for(user)
    expected = 401 if user is None else 404
    assert api.post(f"/api/v1/enrollments/{enrollment.pk}/upgrade", {"version": 2}).status_code == (
        expected
    )
    assert api.get(f"/api/v1/enrollments/{enrollment.pk}/upgrade").status_code == expected
    assert api.get(f"/api/v1/enrollments/{enrollment.pk}/archived-items").status_code == expected
    web = web_for(user)
    for url in ("upgrade/", "archived/", "export.md"):
        response = web.get(f"/enrollments/{enrollment.pk}/{url}")
        assert response.status_code == (302 if user is None else 404)
    assert web.post(f"/enrollments/{enrollment.pk}/upgrade/").status_code == (
        302 if user is None else 404
    )
    enrollment.refresh_from_db()
    assert enrollment.version.number == 1


def test_the_enrollment_markdown_export_is_a_github_checklist(
    fork_and_learner: Any, web_for: Any
) -> None:
    _, enrollment = fork_and_learner
    response = web_for(enrollment.user).get(f"/enrollments/{enrollment.pk}/export.md")
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert "  - [x] Sorting algorithms (Quick, Merge, Heap)" in text
    assert "  - [x] Arrays, Linked Lists, Stacks, Queues" in text
    assert "  > arrays!" in text
    assert "- [ ] " in text


def test_upgrade_queries_do_not_grow_with_history(
    fork_and_learner: Any, alice: Any, django_assert_max_num_queries: Any
) -> None:
    from levelup.progress.services import enrollment_upgrade

    fork, enrollment = fork_and_learner
    _publish_v2(fork, alice)
    with django_assert_max_num_queries(30):
        enrollment_upgrade(enrollment=enrollment, actor=enrollment.user, version=2)
