"""The learner journey pages: dashboard, enroll, onboarding, assessment, item, settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from levelup.accounts.models import User
from levelup.progress import services
from levelup.progress.models import Assessment, ChecklistTick, Enrollment, Evidence, ItemProgress

Web = Callable[[User | None], Client]


def page_urls(enrollment: Enrollment) -> list[str]:
    pk = enrollment.pk
    return [
        reverse("progress:onboarding", args=[pk]),
        reverse("progress:assessment", args=[pk]),
        reverse("progress:settings", args=[pk]),
        reverse("progress:item", args=[pk, "topic:alpha/one"]),
        reverse("progress:item", args=[pk, "project:build-it"]),
    ]


def test_the_dashboard_without_an_enrollment_leads_to_enrolling(
    tiny: Any, alice: User, web_for: Web
) -> None:
    response = web_for(alice).get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert reverse("progress:enroll", args=["tiny"]) in response.content.decode()


def test_enrolling_through_the_form_leads_to_the_checklist(
    tiny: Any, alice: User, web_for: Web
) -> None:
    client = web_for(alice)
    form = client.get(reverse("progress:enroll", args=["tiny"]))
    assert form.status_code == 200 and b'value="5.0"' in form.content
    response = client.post(
        reverse("progress:enroll", args=["tiny"]),
        {"start_date": "2026-01-05", "weekly_hours": "6", "study_days": ["0", "2"]},
    )
    enrollment = Enrollment.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:onboarding", args=[enrollment.pk])
    assert enrollment.study_days == [0, 2]


def test_the_enroll_form_shows_errors_next_to_the_field(
    tiny: Any, alice: User, web_for: Web
) -> None:
    response = web_for(alice).post(
        reverse("progress:enroll", args=["tiny"]),
        {"start_date": "2026-01-05", "weekly_hours": "99", "study_days": ["0"]},
    )
    assert response.status_code == 200
    assert "less than or equal to 40" in response.content.decode()
    assert not Enrollment.objects.exists()


@time_machine.travel("2026-07-15 10:00Z")
def test_the_dashboard_shows_journey_position_progress_and_next_steps(
    enrollment: Enrollment, alice: User, web_for: Web
) -> None:
    services.item_update(enrollment=enrollment, actor=alice, item_key="topic:alpha", status="done")
    html = web_for(alice).get(reverse("dashboard:home")).content.decode()
    assert "Month 7 of 4" in html
    assert "weeks behind" in html or "week behind" in html
    assert "Four months in" in html  # the next checkpoint
    assert "<svg" in html and "heatmap" in html
    assert "Beta" in html  # what's next


def test_the_self_assessment_goes_phase_by_phase(
    enrollment: Enrollment, alice: User, web_for: Web
) -> None:
    client = web_for(alice)
    url = reverse("progress:assessment", args=[enrollment.pk])
    page = client.get(url).content.decode()
    assert "can use it alone" in page and 'name="rating:topic:alpha"' in page
    response = client.post(url + "?phase=1", {"rating:topic:alpha": "3"})
    assert response["Location"].endswith("?phase=2")
    response = client.post(url + "?phase=2", {"rating:topic:beta": "1"})
    assert response["Location"] == reverse("dashboard:home")
    ratings = dict(ItemProgress.objects.values_list("item_key", "rating"))
    assert ratings == {"topic:alpha": 3, "topic:beta": 1}
    assert Assessment.objects.count() == 2


def test_the_checklist_ticks_and_unticks(enrollment: Enrollment, alice: User, web_for: Web) -> None:
    client = web_for(alice)
    url = reverse("progress:onboarding", args=[enrollment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"key": "prerequisite:nope", "ticked": "1"}).status_code == 404
    assert not ChecklistTick.objects.exists()


def test_the_item_page_saves_status_rating_and_notes(
    enrollment: Enrollment, alice: User, web_for: Web
) -> None:
    client = web_for(alice)
    url = reverse("progress:item", args=[enrollment.pk, "topic:alpha"])
    response = client.post(
        url, {"status": "in_progress", "rating": "2", "notes": "# Hi", "version": "0"}
    )
    assert response.status_code == 302
    row = ItemProgress.objects.get(item_key="topic:alpha")
    assert (row.status, row.rating, row.notes, row.version) == ("in_progress", 2, "# Hi", 1)
    page = client.get(url).content.decode()
    assert "<h1>Hi</h1>" in page  # rendered notes
    stale = client.post(url, {"status": "done", "notes": "other tab", "version": "0"})
    assert stale.status_code == 200 and "changed in another window" in stale.content.decode()
    row.refresh_from_db()
    assert row.notes == "# Hi" and row.status == "in_progress"


def test_the_item_page_refuses_javascript_links(
    enrollment: Enrollment, alice: User, web_for: Web
) -> None:
    url = reverse("progress:item", args=[enrollment.pk, "topic:alpha"])
    response = web_for(alice).post(
        url, {"action": "evidence", "title": "x", "url": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "must be an http:// or https:// link" in response.content.decode()
    assert not Evidence.objects.exists()


def test_quick_status_changes_redirect_back(
    enrollment: Enrollment, alice: User, web_for: Web
) -> None:
    response = web_for(alice).post(
        reverse("progress:item_status", args=[enrollment.pk]),
        {"item_key": "topic:alpha/one", "status": "done", "next": "/roadmaps/tiny/"},
    )
    assert response.status_code == 302 and response["Location"] == "/roadmaps/tiny/"
    assert ItemProgress.objects.get(item_key="topic:alpha/one").status == "done"


def test_quick_updates_refuse_foreign_redirects(
    enrollment: Enrollment, alice: User, web_for: Web
) -> None:
    response = web_for(alice).post(
        reverse("progress:item_status", args=[enrollment.pk]),
        {"item_key": "topic:alpha", "rating": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard:home")


def test_settings_pause_resume_and_archive(
    enrollment: Enrollment, alice: User, web_for: Web
) -> None:
    client = web_for(alice)
    url = reverse("progress:settings", args=[enrollment.pk])
    client.post(
        url,
        {
            "action": "settings",
            "start_date": "2026-01-01",
            "weekly_hours": "9",
            "study_days": ["1"],
        },
    )
    client.post(url, {"action": "pause", "reason": "holiday"})
    enrollment.refresh_from_db()
    assert (enrollment.weekly_hours, enrollment.status) == (9, "paused")
    client.post(url, {"action": "resume"})
    client.post(url, {"action": "archive"})
    enrollment.refresh_from_db()
    assert enrollment.status == "archived"


def test_the_roadmap_page_shows_the_learners_statuses_in_place(
    enrollment: Enrollment, alice: User, bob: User, web_for: Web
) -> None:
    services.item_update(
        enrollment=enrollment, actor=alice, item_key="topic:alpha", status="done", rating=4
    )
    url = reverse("roadmaps:detail", args=["tiny"])
    html = web_for(alice).get(url).content.decode()
    assert reverse("progress:item_status", args=[enrollment.pk]) in html
    assert "rated 4/4" in html
    assert (
        reverse("progress:item_status", args=[enrollment.pk])
        not in web_for(bob).get(url).content.decode()
    )
    assert "item-controls" not in web_for(None).get(url).content.decode()


# --- authorization ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "staff"])
def test_another_users_enrollment_pages_answer_404(
    enrollment: Enrollment, request: pytest.FixtureRequest, web_for: Web, who: str
) -> None:
    client = web_for(request.getfixturevalue(who))
    for url in page_urls(enrollment):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "archive", "status": "done"}).status_code == 404, url
    status = reverse("progress:item_status", args=[enrollment.pk])
    assert client.post(status, {"item_key": "topic:alpha", "status": "done"}).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "active" and not ItemProgress.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(
    enrollment: Enrollment, web_for: Web
) -> None:
    client = web_for(None)
    login = reverse("accounts:login")
    urls = [
        reverse("dashboard:home"),
        reverse("progress:enroll", args=["tiny"]),
        reverse("progress:item_status", args=[enrollment.pk]),
        *page_urls(enrollment),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url


def test_the_owner_reaches_every_page(enrollment: Enrollment, alice: User, web_for: Web) -> None:
    client = web_for(alice)
    for url in [reverse("dashboard:home"), *page_urls(enrollment)]:
        assert client.get(url).status_code == 200, url


def test_an_unknown_item_page_is_404(enrollment: Enrollment, alice: User, web_for: Web) -> None:
    response = web_for(alice).get(reverse("progress:item", args=[enrollment.pk, "topic:ghost"]))
    assert response.status_code == 404


def test_another_learner_may_enroll_in_the_same_roadmap(
    tiny: Any, enrollment: Enrollment, bob: User
) -> None:
    other = services.enrollment_create(user=bob, roadmap_slug="tiny", start_date=date(2026, 2, 1))
    assert other.pk != enrollment.pk


def test_staff_see_enrollments_in_the_admin(
    enrollment: Enrollment, staff: User, web_for: Web
) -> None:
    for name in ("enrollment", "itemprogress", "progressevent", "evidence"):
        response = web_for(staff).get(reverse(f"admin:progress_{name}_changelist"))
        assert response.status_code == 200, name


def test_the_checklist_lists_the_roadmaps_prerequisites_and_keeps_ticks(
    builtin: Any, alice: User, web_for: Web
) -> None:
    roadmap, document = builtin
    enrollment = services.enrollment_create(user=alice, roadmap_slug=roadmap.slug)
    client = web_for(alice)
    url = reverse("progress:onboarding", args=[enrollment.pk])
    first = document.prerequisites[0]
    assert first.text in client.get(url).content.decode()
    client.post(url, {"key": f"prerequisite:{first.slug}", "ticked": "1"})
    assert list(ChecklistTick.objects.values_list("key", flat=True)) == [
        f"prerequisite:{first.slug}"
    ]
    client.post(url, {"key": f"prerequisite:{first.slug}", "ticked": "0"})
    assert not ChecklistTick.objects.exists()
