"""Checkpoint reviews travel in the account archive; the mentor goes as a username."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.datatransfer.archive import account_delete, account_export, account_import
from levelup.mentoring import services as mentoring
from levelup.mentoring.models import CheckpointReview, Credential
from levelup.progress.services import enrollment_create
from levelup.roadmaps.models import Roadmap
from levelup.roadmaps.services import roadmap_load_file

pytestmark = pytest.mark.django_db

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"


@pytest.fixture
def reviewed(alice: User, make_user: Any, settings: Any, tmp_path: Path) -> User:
    """Alice's month-4 checkpoint, approved by carol after a comment from each of them."""
    settings.DATA_DIR = tmp_path
    from levelup.mentoring import signing

    signing._key_for.cache_clear()
    roadmap_load_file(path=TINY)
    carol = make_user("carol")
    enrollment = enrollment_create(user=alice, roadmap_slug="tiny", start_date=date(2026, 1, 1))
    _, code = mentoring.invitation_create(learner=alice)
    mentoring.invitation_accept(mentor=carol, code=code)
    review = mentoring.review_submit(
        enrollment=enrollment,
        actor=alice,
        checkpoint_slug="month-4",
        criteria=[
            {"slug": "built", "rating": 3, "note": "shipped"},
            {"slug": "taught", "rating": 2},
        ],
        evidence=[{"title": "Slides", "url": "https://example.com/slides"}],
    )
    mentoring.review_claim(review_id=review.pk, mentor=carol)
    mentoring.review_comment(review_id=review.pk, author=carol, body="Show me the tests")
    mentoring.review_comment(review_id=review.pk, author=alice, body="Linked them")
    mentoring.review_decide(
        review_id=review.pk,
        mentor=carol,
        decision="approved",
        criteria=[{"slug": "built", "rating": 4}, {"slug": "taught", "rating": None}],
        base_url="http://testserver",
    )
    mentoring.notification_settings_update(user=alice, email_enabled=True)
    return alice


def _normalised(archive: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in archive.items() if k not in ("exported_at", "integrity")}


def test_the_archive_holds_the_review_its_rounds_events_and_comments(reviewed: User) -> None:
    archive = account_export(user=reviewed)
    data = archive["data"]
    (review,) = data["checkpoint_reviews"]
    assert review["checkpoint_slug"] == "month-4"
    assert review["status"] == "approved"
    assert review["decided_by"] == "carol"
    assert review["mentor_ratings"] == {"built": 4, "taught": None}
    assert [c["body"] for c in data["review_comments"]] == ["Show me the tests", "Linked them"]
    assert [c["author"] for c in data["review_comments"]] == ["carol", "@self"]
    assert data["review_submissions"][0]["evidence"][0]["url"] == "https://example.com/slides"
    assert {e["kind"] for e in data["review_events"]} >= {"submitted", "approved"}
    assert data["notification_settings"] == [{"ref": 1, "email_enabled": True}]


def test_the_round_trip_keeps_the_review_and_the_mentor_where_the_mentor_exists(
    reviewed: User,
) -> None:
    first = account_export(user=reviewed)
    account_delete(user=reviewed, password=None, check_password=False)
    newcomer = User.objects.create_user(username="alice")
    counts = account_import(user=newcomer, archive=first)
    assert counts["checkpoint_reviews"] == 1
    assert counts["review_comments"] == 2
    restored = CheckpointReview.objects.get(enrollment__user=newcomer)
    assert restored.decided_by is not None and restored.decided_by.username == "carol"
    assert _normalised(account_export(user=newcomer)) == _normalised(first)


def test_on_a_server_without_the_mentor_the_review_stays_and_the_mentor_is_blank(
    reviewed: User,
) -> None:
    first = account_export(user=reviewed)
    account_delete(user=reviewed, password=None, check_password=False)
    User.objects.filter(username="carol").delete()
    Roadmap.objects.all().delete()
    newcomer = User.objects.create_user(username="alice")
    account_import(user=newcomer, archive=first)
    restored = CheckpointReview.objects.get(enrollment__user=newcomer)
    assert restored.status == "approved"
    assert restored.decided_by is None
    assert restored.comments.filter(author__isnull=True).count() == 1
    # The signed badge is this server's: it does not travel (registry.NOT_EXPORTED).
    assert not Credential.objects.filter(review=restored).exists()
