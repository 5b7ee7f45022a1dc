"""The pages say what the API says: one verdict, one status vocabulary."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from levelup.accounts.models import User
from levelup.progress.models import ItemProgress
from levelup.progress.services import enrollment_create


def _text(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</span>', html, re.S)
    assert match, testid
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


@pytest.mark.django_db
def test_the_dashboard_and_plan_pages_show_the_apis_verdict(
    builtin: Any, alice: User, api_for: Any, web_for: Any
) -> None:
    roadmap, _ = builtin
    enrollment = enrollment_create(
        user=alice,
        roadmap_slug=roadmap.slug,
        start_date=date.today() - timedelta(weeks=12),
        weekly_hours=6,
    )
    verdict = api_for(alice).get(f"/api/v1/enrollments/{enrollment.pk}/dashboard").json()["verdict"]
    web = web_for(alice)
    for url in (reverse("dashboard:home"), reverse("planning:plan", args=[enrollment.pk])):
        html = web.get(url).content.decode()
        assert _text(html, "verdict-label") == verdict["label"]
        assert _text(html, "verdict-reason") == verdict["reason"].replace("'", "&#x27;")
    assert verdict["status"] == "behind"


@pytest.mark.django_db
def test_a_topic_rated_4_reads_known_on_the_roadmap_page(
    builtin: Any, alice: User, web_for: Any
) -> None:
    roadmap, _ = builtin
    enrollment = enrollment_create(user=alice, roadmap_slug=roadmap.slug)
    ItemProgress.objects.create(enrollment=enrollment, item_key="topic:advanced-nodejs", rating=4)
    html = web_for(alice).get(reverse("roadmaps:detail", args=[roadmap.slug])).content.decode()
    card = html[html.index('value="topic:advanced-nodejs"') :][:1500]
    assert 'class="badge status-known">Known</span>' in card
    # No control claims the current state: Known is not a button, Reset is not pressed.
    assert 'aria-pressed="true"' not in card
    assert ">In progress</button>" in card


@pytest.mark.django_db
def test_the_enrollment_settings_set_a_target_in_months(
    builtin: Any, alice: User, web_for: Any, api_for: Any
) -> None:
    roadmap, _ = builtin
    enrollment = enrollment_create(
        user=alice, roadmap_slug=roadmap.slug, start_date=date(2026, 1, 5)
    )
    web = web_for(alice)
    url = reverse("progress:settings", args=[enrollment.pk])
    response = web.post(
        url,
        {
            "action": "settings",
            "start_date": "2026-01-05",
            "weekly_hours": "12.5",
            "study_days": ["0", "1", "2", "3", "4"],
            "target_months": "18",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    out = api_for(alice).get(f"/api/v1/enrollments/{enrollment.pk}").json()
    assert out["target_finish"] == "2027-07-06" and out["target_chosen"] is True
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Berlin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"target_finish": "2025-12-01"}, "target_finish", "after the start date"),
        ({"target_months": "18", "target_finish": "2028-01-01"}, "target_finish", "not both"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Mars/Olympus"),
    ],
)
def test_a_bad_target_or_zone_is_refused_and_nothing_changes(
    builtin: Any, alice: User, web_for: Any, fields: dict[str, str], field: str, reason: str
) -> None:
    roadmap, _ = builtin
    enrollment = enrollment_create(
        user=alice, roadmap_slug=roadmap.slug, start_date=date(2026, 1, 5)
    )
    data = {
        "action": "settings",
        "start_date": "2026-01-05",
        "weekly_hours": "8",
        "study_days": ["0", "1"],
        **fields,
    }
    response = web_for(alice).post(reverse("progress:settings", args=[enrollment.pk]), data)
    assert response.status_code in (200, 422)
    assert reason in response.content.decode()
    enrollment.refresh_from_db()
    alice.refresh_from_db()
    assert enrollment.target_finish is None
    assert float(enrollment.weekly_hours) == 12.5
    assert alice.time_zone != "Mars/Olympus"


@pytest.mark.django_db
def test_the_api_sets_and_clears_the_target(builtin: Any, alice: User, api_for: Any) -> None:
    roadmap, _ = builtin
    api = api_for(alice)
    created = api.post(
        "/api/v1/enrollments",
        {"roadmap": roadmap.slug, "start_date": "2026-01-05", "target_months": 18},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["target_finish"] == "2027-07-06"
    path = f"/api/v1/enrollments/{body['id']}"
    bad = api.patch(path, {"target_finish": "2020-01-01"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "target_finish"
    assert api.get(path).json()["target_finish"] == "2027-07-06"
    cleared = api.patch(path, {"target_finish": None}).json()
    assert cleared["target_chosen"] is False
    assert cleared["target_finish"] == "2028-01-05"  # the roadmap's own end
