"""The whole sign-off path over the API, and the rules along it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from levelup.mentoring.models import CheckpointReview, ReviewEvent
from levelup.progress.services import item_update

from .conftest import SELF

pytestmark = pytest.mark.django_db


def _submit(api: Any, enrollment_id: int, **extra: Any) -> Any:
    body = {"criteria": SELF, "evidence": [{"title": "Slides", "url": "https://example.com/s"}]}
    body.update(extra)
    return api.post(f"/api/v1/enrollments/{enrollment_id}/checkpoints/month-4/reviews", body)


def test_full_review_path_ends_in_a_credential_that_verifies(
    api_for: Any, alice: Any, carol: Any, enrollment: Any, mentorship: Any
) -> None:
    learner, mentor = api_for(alice), api_for(carol)
    item_update(enrollment=enrollment, actor=alice, item_key="project:build-it", status="done")

    submitted = _submit(learner, enrollment.pk)
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted"
    review_id = body["id"]
    built = body["snapshot"]["criteria"][0]["items"][0]
    assert built == {
        "key": "project:build-it",
        "title": built["title"],
        "status": "done",
        "rating": None,
    }

    claimed = mentor.post(f"/api/v1/reviews/{review_id}/claim")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["claimed_by"] == "carol"

    assert (
        mentor.post(
            f"/api/v1/reviews/{review_id}/comments", {"body": "Show me the talk?"}
        ).status_code
        == 201
    )
    changes = mentor.post(
        f"/api/v1/reviews/{review_id}/decision",
        {"decision": "changes_requested", "criteria": [{"slug": "taught", "rating": None}]},
    )
    assert changes.status_code == 200, changes.content
    assert changes.json()["status"] == "changes_requested"
    assert mentor.get(f"/api/v1/reviews/{review_id}/credential").status_code == 404

    assert (
        learner.post(
            f"/api/v1/reviews/{review_id}/comments", {"body": "Added a recording"}
        ).status_code
        == 201
    )
    again = _submit(
        learner, enrollment.pk, evidence=[{"title": "Recording", "url": "https://example.com/rec"}]
    )
    assert again.status_code == 201, again.content
    assert again.json()["id"] == review_id
    assert again.json()["status"] == "submitted"
    assert again.json()["round"] == 2

    assert mentor.post(f"/api/v1/reviews/{review_id}/claim").status_code == 200
    approved = mentor.post(
        f"/api/v1/reviews/{review_id}/decision",
        {
            "decision": "approved",
            "criteria": [{"slug": "built", "rating": 3}, {"slug": "taught", "rating": None}],
        },
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "carol"

    download = learner.get(f"/api/v1/reviews/{review_id}/credential")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    credential = download.json()
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Four months in"
    assert credential["credentialSubject"]["name"] == "Alice"
    assert {"Recording"} <= {e["name"] for e in credential["evidence"]}

    verdict = api_for(None).post("/api/v1/credentials/verify", credential).json()
    assert verdict["valid"] is True and verdict["revoked"] is False, verdict
    by_id = api_for(None).get("/api/v1/credentials/verify", {"id": credential["id"]}).json()
    assert by_id["valid"] is True

    kinds = list(
        ReviewEvent.objects.filter(review_id=review_id).values_list("kind", "actor__username")
    )
    assert kinds == [
        ("submitted", "alice"),
        ("claimed", "carol"),
        ("commented", "carol"),
        ("changes_requested", "carol"),
        ("commented", "alice"),
        ("resubmitted", "alice"),
        ("claimed", "carol"),
        ("approved", "carol"),
        ("credential_issued", "carol"),
    ]


def test_a_submitted_snapshot_never_changes_after_later_edits(
    api_for: Any, alice: Any, enrollment: Any, mentorship: Any, review: CheckpointReview
) -> None:
    before = api_for(alice).get(f"/api/v1/reviews/{review.pk}").json()["snapshot"]
    item_update(
        enrollment=enrollment, actor=alice, item_key="project:build-it", status="done", rating=4
    )
    from levelup.journal.services import study_session_log

    study_session_log(
        enrollment=enrollment, minutes=90, category="theory", date=timezone.localdate()
    )
    after = api_for(alice).get(f"/api/v1/reviews/{review.pk}").json()["snapshot"]
    assert after == before
    assert before["criteria"][0]["items"][0]["status"] == "not_started"


def test_an_expired_claim_can_be_taken_by_another_mentor(
    api_for: Any, alice: Any, carol: Any, make_user: Any, review: CheckpointReview
) -> None:
    from levelup.mentoring import services

    erin = make_user("erin")
    _, code = services.invitation_create(learner=alice)
    services.invitation_accept(mentor=erin, code=code)
    assert api_for(carol).post(f"/api/v1/reviews/{review.pk}/claim").status_code == 200
    taken = api_for(erin).post(f"/api/v1/reviews/{review.pk}/claim")
    assert taken.status_code == 409
    assert "another mentor" in taken.json()["detail"]
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        late = api_for(erin).post(f"/api/v1/reviews/{review.pk}/claim")
        assert late.status_code == 200, late.content
        assert late.json()["claimed_by"] == "erin"
        stale = api_for(carol).post(
            f"/api/v1/reviews/{review.pk}/decision",
            {
                "decision": "approved",
                "criteria": [{"slug": "built", "rating": 3}, {"slug": "taught", "rating": 3}],
            },
        )
        assert stale.status_code == 409


def test_a_learner_can_never_approve_their_own_review(
    api_for: Any, alice: Any, review: CheckpointReview
) -> None:
    learner = api_for(alice)
    assert learner.post(f"/api/v1/reviews/{review.pk}/claim").status_code == 403
    refused = learner.post(
        f"/api/v1/reviews/{review.pk}/decision",
        {
            "decision": "approved",
            "criteria": [{"slug": "built", "rating": 4}, {"slug": "taught", "rating": 4}],
        },
    )
    assert refused.status_code == 403
    assert "own review" in refused.json()["detail"]
    review.refresh_from_db()
    assert review.status == "submitted"


def test_an_unrelated_mentor_sees_nothing(
    api_for: Any, dave: Any, review: CheckpointReview
) -> None:
    mentor = api_for(dave)
    assert mentor.get(f"/api/v1/reviews/{review.pk}").status_code == 404
    assert mentor.post(f"/api/v1/reviews/{review.pk}/claim").status_code == 404
    assert mentor.post(f"/api/v1/reviews/{review.pk}/comments", {"body": "hi"}).status_code == 404


def test_bad_review_input_names_the_field(api_for: Any, alice: Any, enrollment: Any) -> None:
    api = api_for(alice)
    missing = _submit(api, enrollment.pk, criteria=[{"slug": "built", "rating": 2}])
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "criteria.taught"
    bad = _submit(
        api,
        enrollment.pk,
        criteria=[{"slug": "built", "rating": 7}, {"slug": "taught", "rating": 1}],
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "criteria.built.rating"
    url = _submit(api, enrollment.pk, evidence=[{"title": "x", "url": "ftp://nope"}])
    assert url.status_code == 422
    assert url.json()["errors"][0]["field"].startswith("evidence.0.")
    assert not CheckpointReview.objects.exists()
    unknown = api.post(
        f"/api/v1/enrollments/{enrollment.pk}/checkpoints/month-99/reviews", {"criteria": SELF}
    )
    assert unknown.status_code == 404


def test_a_submitted_review_cannot_be_submitted_again(
    api_for: Any, alice: Any, enrollment: Any, review: CheckpointReview
) -> None:
    assert _submit(api_for(alice), enrollment.pk).status_code == 409


def test_the_checkpoint_item_key_is_accepted_in_the_path(
    api_for: Any, alice: Any, enrollment: Any
) -> None:
    response = api_for(alice).post(
        f"/api/v1/enrollments/{enrollment.pk}/checkpoints/checkpoint:month-4/reviews",
        {"criteria": SELF},
    )
    assert response.status_code == 201, response.content
