"""Export, import and delete, against the `levelup demo` learner."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.datatransfer.archive import (
    FORMAT,
    account_delete,
    account_export,
    account_import,
    digest_of,
    owned_rows,
)
from levelup.datatransfer.registry import KINDS
from levelup.lib.errors import Conflict, Forbidden, Invalid
from levelup.roadmaps.models import Roadmap
from tests.datatransfer.conftest import table_counts


def _normalised(archive: dict[str, Any]) -> dict[str, Any]:
    """The archive without what may differ between two exports of the same data."""
    return {k: v for k, v in archive.items() if k not in ("exported_at", "integrity")}


def _fresh_server_without(user: User) -> None:
    """Leave the database as a new server would be: no such user, no roadmaps at all."""
    account_delete(user=user, password=None, check_password=False)
    Roadmap.objects.all().delete()


def test_export_import_export_round_trip_of_the_demo_account_is_equal(demo: User) -> None:
    first = account_export(user=demo)
    assert first["format"] == FORMAT
    sizes = {name: len(rows) for name, rows in first["data"].items()}
    # A lived-in account: every kind the demo makes is there.
    for name in (
        "enrollments",
        "item_progress",
        "progress_events",
        "study_sessions",
        "practice_problems",
        "journal_entries",
        "pauses",
        "evidence",
        "reading_items",
        "certifications",
        "calendar_feeds",
        "portfolio",
    ):
        assert sizes[name] > 0, name
    _fresh_server_without(demo)
    assert not Roadmap.objects.exists()

    newcomer = User.objects.create_user(username="demo", password="another-pass-123")
    counts = account_import(user=newcomer, archive=first)

    assert counts == sizes
    second = account_export(user=newcomer)
    assert _normalised(second) == _normalised(first)
    # The built-in roadmap came back from the document the archive carried.
    assert Roadmap.objects.filter(slug=first["roadmaps"][0]["slug"]).exists()


def test_an_import_restores_timestamps_and_the_people_behind_events(demo: User) -> None:
    original = account_export(user=demo)
    _fresh_server_without(demo)
    newcomer = User.objects.create_user(username="demo")
    account_import(user=newcomer, archive=original)
    event = newcomer.enrollments.get().events.order_by("created_at", "id").first()
    assert event is not None and event.actor == newcomer
    first_session = original["data"]["study_sessions"][0]
    restored = newcomer.enrollments.get().study_sessions.order_by("id").first()
    assert restored is not None
    assert restored.created_at.isoformat() == first_session["created_at"]


def test_a_restored_calendar_feed_does_not_answer_at_the_old_address(demo: User) -> None:
    original = account_export(user=demo)
    old_hash = demo.enrollments.get().calendar_feed.secret_hash
    assert "secret_hash" not in original["data"]["calendar_feeds"][0]
    _fresh_server_without(demo)
    newcomer = User.objects.create_user(username="demo")
    account_import(user=newcomer, archive=original)
    assert newcomer.enrollments.get().calendar_feed.secret_hash != old_hash


def _tampered(archive: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(archive)
    changed["data"]["study_sessions"][0]["minutes"] = 600
    return changed


def _resealed(archive: dict[str, Any]) -> dict[str, Any]:
    archive["integrity"] = {"algorithm": "sha256", "digest": digest_of(archive)}
    return archive


@pytest.fixture
def archive_and_newcomer(demo: User) -> tuple[dict[str, Any], User]:
    original = account_export(user=demo)
    _fresh_server_without(demo)
    return original, User.objects.create_user(username="newcomer", display_name="Before")


def test_a_tampered_archive_is_refused_with_the_reason_and_nothing_is_written(
    archive_and_newcomer: tuple[dict[str, Any], User],
) -> None:
    original, newcomer = archive_and_newcomer
    before = table_counts()
    with pytest.raises(Invalid) as caught:
        account_import(user=newcomer, archive=_tampered(original))
    assert caught.value.errors[0]["field"] == "integrity.digest"
    assert "changed or damaged" in caught.value.message
    assert table_counts() == before
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Before"


BAD_VALUES: list[tuple[Any, str]] = [
    (
        lambda a: a["data"]["study_sessions"][0].update(minutes="lots"),
        "data.study_sessions[0].minutes",
    ),
    (
        lambda a: a["data"]["item_progress"][1].update(status="nearly"),
        "data.item_progress[1].status",
    ),
    (lambda a: a["data"]["pauses"][0].update(enrollment=99), "data.pauses[0].enrollment"),
    (lambda a: a["data"]["evidence"][0].update(secret="x"), "data.evidence[0].secret"),
    (lambda a: a["data"]["reading_items"][0].update(rating=9), "data"),
    (lambda a: a["data"].update(gossip=[]), "data.gossip"),
    (lambda a: a.update(format="levelup-account/99"), "format"),
    (lambda a: a["profile"].update(time_zone="Mars/Olympus"), "profile.time_zone"),
    (
        lambda a: a["data"]["enrollments"][0]["version"].update(content_hash="0" * 64),
        "data.enrollments[0].version",
    ),
]


def test_an_archive_with_a_bad_value_is_refused_naming_the_field_even_with_a_good_digest(
    archive_and_newcomer: tuple[dict[str, Any], User],
) -> None:
    original, newcomer = archive_and_newcomer
    before = table_counts()
    for change, field in BAD_VALUES:
        bad = copy.deepcopy(original)
        change(bad)
        with pytest.raises(Invalid) as caught:
            account_import(user=newcomer, archive=_resealed(bad))
        assert caught.value.errors[0]["field"] == field, caught.value.message
        assert "nothing was imported" in caught.value.message
        assert table_counts() == before
        newcomer.refresh_from_db()
        assert newcomer.display_name == "Before"


def test_rows_that_contradict_each_other_are_refused_and_nothing_is_written(
    archive_and_newcomer: tuple[dict[str, Any], User],
) -> None:
    original, newcomer = archive_and_newcomer
    bad = copy.deepcopy(original)
    rows = bad["data"]["item_progress"]
    rows[1]["item_key"] = rows[0]["item_key"]  # two states for one item
    before = table_counts()
    with pytest.raises(Invalid) as caught:
        account_import(user=newcomer, archive=_resealed(bad))
    assert caught.value.errors[0]["field"] == "data"
    assert table_counts() == before


def test_import_into_an_account_that_holds_data_is_refused(demo: User) -> None:
    archive = account_export(user=demo)
    with pytest.raises(Conflict):
        account_import(user=demo, archive=archive)


def test_deleting_the_demo_account_leaves_no_row_it_owned_in_any_table(
    demo: User, make_user: Any
) -> None:
    from levelup.progress.services import enrollment_create
    from levelup.roadmaps.services import BUILTIN_SLUG

    # Someone else's data must survive the deletion untouched.
    other = make_user("other")
    enrollment_create(user=other, roadmap_slug=BUILTIN_SLUG)
    without_demo = table_counts()
    owned = {k.model._meta.label: owned_rows(k, demo).count() for k in KINDS}
    assert sum(owned.values()) > 400
    account_delete(user=demo, password=None, check_password=False)
    after = table_counts()

    for label, count in after.items():
        expected = without_demo[label] - owned.get(label, 0) - (label == "accounts.User")
        assert count == expected, label
    for kind in KINDS:
        left = kind.model._default_manager.filter(**{f"{kind.owner}__username": "demo"})
        assert not left.exists(), kind.name
    assert other.enrollments.count() == 1


def test_a_wrong_password_deletes_nothing(alice: User) -> None:
    alice.set_password("right-password-1")
    alice.save()
    before = table_counts()
    with pytest.raises(Forbidden):
        account_delete(user=alice, password="wrong")
    assert table_counts() == before


def test_export_runs_a_fixed_number_of_queries(
    demo: User, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(len(KINDS) + 1):
        account_export(user=demo)
