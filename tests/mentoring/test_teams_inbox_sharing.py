"""Teams (assignments, the lead's view, lead becomes mentor), the inbox, sharing, email."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from levelup.journal.services import journal_entry_create, study_session_log
from levelup.mentoring import services
from levelup.mentoring.models import Mentorship
from levelup.planning.verdict import STATUSES
from levelup.progress.models import Enrollment
from levelup.progress.services import item_update

from .conftest import SELF

pytestmark = pytest.mark.django_db


def test_a_lead_assigns_a_roadmap_and_sees_the_team_at_a_glance(
    api_for: Any, web_for: Any, lena: Any, alice: Any, mia: Any, team: Any, tiny: Any, carol: Any
) -> None:
    lead = api_for(lena)
    assigned = lead.post(
        f"/api/v1/teams/{team.pk}/assignments", {"roadmap": "tiny", "members": ["mia"]}
    )
    assert assigned.status_code == 200, assigned.content
    assert assigned.json() == ["mia"]
    mia_enrollment = Enrollment.objects.get(user=mia)
    assert mia_enrollment.roadmap.slug == "tiny"
    # Assigning again to everyone enrols alice too and leaves mia's enrollment alone.
    assert sorted(
        lead.post(f"/api/v1/teams/{team.pk}/assignments", {"roadmap": "tiny"}).json()
    ) == ["alice", "mia"]
    assert Enrollment.objects.filter(user=mia).count() == 1
    alice_enrollment = Enrollment.objects.get(user=alice)

    # Mia started two months ago, so last month's session is inside her enrollment.
    Enrollment.objects.filter(pk=mia_enrollment.pk).update(
        start_date=mia.local_today() - timedelta(days=62)
    )
    mia_enrollment.refresh_from_db()
    item_update(enrollment=mia_enrollment, actor=mia, item_key="topic:alpha", status="done")
    item_update(enrollment=mia_enrollment, actor=mia, item_key="topic:beta", rating=3)
    study_session_log(
        enrollment=mia_enrollment, minutes=90, category="theory", date=mia.local_today()
    )
    study_session_log(
        enrollment=mia_enrollment,
        minutes=600,
        category="theory",
        date=mia.local_today().replace(day=1) - timedelta(days=1),
    )
    _, code = services.invitation_create(learner=alice)
    services.invitation_accept(mentor=carol, code=code)
    services.review_submit(
        enrollment=alice_enrollment, actor=alice, checkpoint_slug="month-4", criteria=SELF
    )

    page = lead.get(f"/api/v1/teams/{team.pk}").json()
    assert page["role"] == "lead"
    assert page["topics"] == ["topic:alpha", "topic:beta"]
    members = {m["username"]: m for m in page["members"]}
    assert members["mia"]["skills"] == [
        {"key": "topic:alpha", "status": "done", "rating": None},
        {"key": "topic:beta", "status": "not_started", "rating": 3},
    ]
    assert members["mia"]["hours_this_month"] == 1.5
    assert members["mia"]["verdict"] in STATUSES
    assert members["alice"]["reviews_waiting"] == 1
    assert members["mia"]["reviews_waiting"] == 0

    html = web_for(lena).get(f"/teams/{team.pk}/").content.decode()
    assert "Skills matrix" in html and "Mia" in html

    # A member sees the roster only, no one else's figures.
    member_view = api_for(mia).get(f"/api/v1/teams/{team.pk}").json()
    assert member_view["topics"] is None
    assert all(m["skills"] is None for m in member_view["members"])


def test_a_member_makes_their_lead_a_mentor_with_one_click(
    web_for: Any, api_for: Any, lena: Any, mia: Any, team: Any
) -> None:
    page = web_for(mia).get(f"/teams/{team.pk}/").content.decode()
    assert "Let Lena mentor me" in page
    response = web_for(mia).post(f"/teams/{team.pk}/lead-mentor/", {"lead": "lena"})
    assert response.status_code == 302
    mentorship = Mentorship.objects.get(learner=mia, mentor=lena)
    assert mentorship.source == "team"
    assert [m["username"] for m in api_for(lena).get("/api/v1/mentees").json()] == ["mia"]
    # A lead cannot make themselves anyone's mentor: only the member's consent does.
    assert (
        api_for(lena).post(f"/api/v1/teams/{team.pk}/lead-mentor", {"lead": "lena"}).status_code
        == 422
    )


def test_team_input_errors_name_the_field(api_for: Any, lena: Any, team: Any, tiny: Any) -> None:
    lead = api_for(lena)
    assert lead.post("/api/v1/teams", {"name": " "}).json()["errors"][0]["field"] == "name"
    unknown = lead.post(f"/api/v1/teams/{team.pk}/members", {"username": "nobody"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "username"
    assert lead.post(f"/api/v1/teams/{team.pk}/members", {"username": "mia"}).status_code == 409
    outsider = lead.post(
        f"/api/v1/teams/{team.pk}/assignments", {"roadmap": "tiny", "members": ["zed"]}
    )
    assert outsider.status_code == 422 and outsider.json()["errors"][0]["field"] == "members"
    no_roadmap = lead.post(f"/api/v1/teams/{team.pk}/assignments", {"roadmap": "nope"})
    assert no_roadmap.status_code == 422 and no_roadmap.json()["errors"][0]["field"] == "roadmap"


def test_the_inbox_shows_what_waits_for_each_side(
    api_for: Any, web_for: Any, alice: Any, carol: Any, review: Any
) -> None:
    mentor_inbox = api_for(carol).get("/api/v1/inbox").json()
    assert [(i["kind"], i["review_id"]) for i in mentor_inbox] == [("to_claim", review.pk)]
    assert api_for(alice).get("/api/v1/inbox").json() == []

    services.review_claim(review_id=review.pk, mentor=carol)
    services.review_comment(review_id=review.pk, author=carol, body="Where is the talk?")
    kinds = [i["kind"] for i in api_for(carol).get("/api/v1/inbox").json()]
    assert kinds == ["claimed_by_you"]
    learner_items = api_for(alice).get("/api/v1/inbox").json()
    assert {i["kind"] for i in learner_items} == {"claimed", "commented"}
    assert any("Where is the talk?" in i["text"] for i in learner_items)

    services.review_decide(
        review_id=review.pk, mentor=carol, decision="changes_requested", base_url="http://x"
    )
    assert "changes_requested" in [i["kind"] for i in api_for(alice).get("/api/v1/inbox").json()]
    assert "changes requested" in web_for(alice).get("/inbox/").content.decode()


def test_journal_entries_and_notes_are_private_until_shared(
    web_for: Any, alice: Any, carol: Any, enrollment: Any, mentorship: Any
) -> None:
    entry = journal_entry_create(
        enrollment=enrollment,
        date=date(2026, 1, 3),
        title="Stuck on recursion",
        body="secret diary",
    )
    item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha", notes="my private notes"
    )
    mentor_page = web_for(carol).get(f"/mentees/{alice.pk}/").content.decode()
    assert "secret diary" not in mentor_page and "my private notes" not in mentor_page
    assert "private unless" in mentor_page

    learner = web_for(alice)
    assert "Private" in learner.get("/mentoring/sharing/").content.decode()
    learner.post("/mentoring/sharing/", {"entry": entry.pk, "shared": "1"})
    learner.post(
        "/mentoring/sharing/",
        {"enrollment": enrollment.pk, "item_key": "topic:alpha", "shared": "1"},
    )
    mentor_page = web_for(carol).get(f"/mentees/{alice.pk}/").content.decode()
    assert "secret diary" in mentor_page and "my private notes" in mentor_page

    learner.post("/mentoring/sharing/", {"entry": entry.pk, "shared": "0"})
    assert "secret diary" not in web_for(carol).get(f"/mentees/{alice.pk}/").content.decode()
    # Nobody shares another learner's entry.
    assert (
        web_for(carol).post("/mentoring/sharing/", {"entry": entry.pk, "shared": "1"}).status_code
        == 404
    )


def test_email_is_off_by_default_and_sent_once_turned_on(
    api_for: Any, alice: Any, carol: Any, enrollment: Any, mentorship: Any, mailoutbox: list[Any]
) -> None:
    services.review_submit(
        enrollment=enrollment, actor=alice, checkpoint_slug="month-4", criteria=SELF
    )
    assert mailoutbox == []
    assert api_for(carol).put("/api/v1/me/notifications", {"email_enabled": True}).json() == {
        "email_enabled": True
    }
    review = enrollment.reviews.get()
    services.review_comment(review_id=review.pk, author=alice, body="Ready when you are")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["carol@example.com"]
    assert "commented" in mailoutbox[0].subject


def test_invitations_by_username_and_their_errors(
    api_for: Any, alice: Any, bob: Any, carol: Any, db: Any
) -> None:
    learner = api_for(alice)
    created = learner.post("/api/v1/mentorships/invitations", {"username": "carol"})
    assert created.status_code == 201
    code = created.json()["code"]
    assert created.json()["url"].endswith(f"/mentoring/accept/{code}/")
    # Named for carol: bob cannot use it.
    refused = api_for(bob).post("/api/v1/mentorships/accept", {"code": code})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "code"
    assert api_for(carol).post("/api/v1/mentorships/accept", {"code": code}).status_code == 201
    assert api_for(carol).post("/api/v1/mentorships/accept", {"code": code}).status_code == 422
    assert learner.post("/api/v1/mentorships/invitations", {"username": "alice"}).status_code == 422
    own = learner.post("/api/v1/mentorships/invitations").json()["code"]
    assert learner.post("/api/v1/mentorships/accept", {"code": own}).status_code == 422


def test_an_invitation_expires(api_for: Any, alice: Any, carol: Any, db: Any) -> None:
    _, code = services.invitation_create(learner=alice, now=timezone.now() - timedelta(days=15))
    assert api_for(carol).post("/api/v1/mentorships/accept", {"code": code}).status_code == 422


def test_a_learner_has_several_mentors(
    api_for: Any, alice: Any, carol: Any, make_user: Any, mentorship: Any
) -> None:
    erin = make_user("erin")
    _, code = services.invitation_create(learner=alice)
    services.invitation_accept(mentor=erin, code=code)
    mentors = {m["mentor"] for m in api_for(alice).get("/api/v1/mentorships").json()}
    assert mentors == {"carol", "erin"}
