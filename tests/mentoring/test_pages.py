"""The learner's and the mentor's pages for a review, without a browser."""

from __future__ import annotations

from typing import Any

import pytest

from levelup.mentoring.models import CheckpointReview, ReviewSubmission
from levelup.progress.services import evidence_add

pytestmark = pytest.mark.django_db


def test_a_learner_submits_a_review_from_the_form(
    web_for: Any, alice: Any, enrollment: Any, mentorship: Any
) -> None:
    picked = evidence_add(
        enrollment=enrollment,
        actor=alice,
        item_key="project:build-it",
        title="Repo",
        url="https://example.com/r",
    )
    client = web_for(alice)
    form = client.get(f"/enrollments/{enrollment.pk}/checkpoints/month-4/review/").content.decode()
    assert "can use it alone" in form and "Repo" in form
    response = client.post(
        f"/enrollments/{enrollment.pk}/checkpoints/month-4/review/",
        {
            "rating-built": "3",
            "note-built": "done",
            "rating-taught": "1",
            "evidence": [str(picked.pk)],
        },
    )
    review = CheckpointReview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reviews/{review.pk}/"
    submission = ReviewSubmission.objects.get()
    assert submission.evidence[0]["title"] == "Repo"
    assert submission.criteria[0] == {
        "slug": "built",
        "text": "Built the thing",
        "rating": 3,
        "rating_label": "can use it alone",
        "note": "done",
    }
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "Submitted" in page and "3 – can use it alone" in page


def test_a_refused_form_keeps_what_was_typed_and_says_why(
    web_for: Any, alice: Any, enrollment: Any
) -> None:
    response = web_for(alice).post(
        f"/enrollments/{enrollment.pk}/checkpoints/month-4/review/",
        {
            "rating-built": "2",
            "note-built": "half way",
            "new_title": "Talk",
            "new_url": "not a link",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "criteria.taught.rating" in html and "self-rating is required" in html
    assert "half way" in html and 'value="Talk"' in html
    assert '<option value="2" selected>' in html
    assert not CheckpointReview.objects.exists()


def test_the_mentor_page_shows_the_plan_and_the_verdict(
    web_for: Any, alice: Any, carol: Any, enrollment: Any, mentorship: Any
) -> None:
    html = web_for(carol).get(f"/mentees/{alice.pk}/").content.decode()
    assert 'data-testid="mentee-verdict"' in html
    assert "Planned finish" in html and "Four months in" in html
    assert "<form" not in html.split("<main")[1].split("Shared with you")[0].replace(
        'action="/accounts/logout/"', ""
    )


def test_a_mentor_decides_on_the_review_page(
    web_for: Any, carol: Any, review: CheckpointReview
) -> None:
    mentor = web_for(carol)
    assert "Claim the review" in mentor.get(f"/reviews/{review.pk}/").content.decode()
    mentor.post(f"/reviews/{review.pk}/claim/")
    page = mentor.get(f"/reviews/{review.pk}/").content.decode()
    assert "not observable" in page and "Approve" in page
    refused = mentor.post(
        f"/reviews/{review.pk}/decision/", {"decision": "approved", "rating-built": "3"}
    )
    assert refused.status_code == 422
    assert "rate every criterion" in refused.content.decode()
    done = mentor.post(
        f"/reviews/{review.pk}/decision/",
        {"decision": "approved", "rating-built": "3", "rating-taught": "na"},
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved"
    assert review.mentor_ratings == {"built": 3, "taught": None}


def test_the_public_verify_page_checks_a_pasted_credential(
    web_for: Any, client: Any, carol: Any, alice: Any, review: CheckpointReview
) -> None:
    from levelup.mentoring import services

    services.review_claim(review_id=review.pk, mentor=carol)
    services.review_decide(
        review_id=review.pk,
        mentor=carol,
        decision="approved",
        criteria=[{"slug": "built", "rating": 3}, {"slug": "taught", "rating": 3}],
        base_url="http://testserver",
    )
    credential = web_for(alice).get(f"/reviews/{review.pk}/credential.json").content.decode()
    assert (
        "Genuine"
        in client.post("/credentials/verify/", {"credential": credential}).content.decode()
    )
    tampered = credential.replace('"Alice"', '"Alicf"')
    html = client.post("/credentials/verify/", {"credential": tampered}).content.decode()
    assert "Not valid" in html and "changed after it was signed" in html
    assert client.post("/credentials/verify/", {"credential": ""}).status_code == 422
    assert client.get("/credentials/not-a-uuid/").status_code == 404
