"""One effort model: the dashboard's total is the plan's, and the calendar books the plan."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
import yaml

from levelup.accounts.models import User
from levelup.dashboard.selectors import dashboard_for
from levelup.planning.selectors import plan_for
from levelup.progress.selectors import enrollment_get
from levelup.progress.services import enrollment_create
from levelup.roadmaps.selectors import document_for
from levelup.roadmaps.services import roadmap_load

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"


def big_document(units: int, *, seed: int = 7) -> dict[str, Any]:
    """A valid roadmap with `units` topics and projects in random windows over 36 months."""
    rng = random.Random(seed)
    data = yaml.safe_load(TINY.read_text())
    data.update(slug="big", title="A big roadmap", duration_months=36)
    topics = []
    for n in range(units - 100):
        start = rng.randint(1, 34)
        topics.append(
            {
                "slug": f"t{n}",
                "title": f"Topic {n}",
                "month_start": start,
                "month_end": min(36, start + rng.randint(0, 5)),
            }
        )
    data["phases"] = [
        {
            "slug": "all",
            "title": "All",
            "month_start": 1,
            "month_end": 36,
            "focus": "Everything",
            "sections": [{"slug": "s", "title": "S", "topics": topics}],
        }
    ]
    data["project_levels"] = [
        {"slug": "starter", "title": "Starter", "month_start": 1, "month_end": 36}
    ]
    projects = []
    for n in range(100):
        start = rng.randint(1, 30)
        projects.append(
            {
                "slug": f"p{n}",
                "title": f"Project {n}",
                "level": "starter",
                "month_start": start,
                "month_end": start + rng.randint(0, 6),
                "description": "Build.",
            }
        )
    data["projects"] = projects
    data["checkpoints"] = [
        {
            "slug": "month-36",
            "month": 36,
            "title": "End",
            "criteria": [{"slug": "c", "text": "Done", "requirement": {"kind": "evidence"}}],
        }
    ]
    return data


def _enrolled(slug: str, name: str) -> Any:
    user = User.objects.create(username=name)
    enrollment = enrollment_create(user=user, roadmap_slug=slug, start_date=date(2026, 1, 5))
    return enrollment_get(user=user, enrollment_id=enrollment.pk)


@pytest.mark.django_db
def test_the_dashboards_total_is_the_plans_total_on_the_builtin_roadmap(builtin: Any) -> None:
    roadmap, _ = builtin
    enrollment = _enrolled(roadmap.slug, "carol")
    board = dashboard_for(enrollment, date(2026, 3, 1))
    plan = plan_for(enrollment, date(2026, 3, 1))
    planned = sum(item["hours"] for item in plan["items"])
    assert board["overall"]["hours_total"] == pytest.approx(planned, rel=0.005)
    # At the nominal 12.5 h a week, 83% of it on items, the roadmap fills its 24 months.
    assert planned == pytest.approx(12.5 * 12 / 14.5 * 24 * 365.2425 / 12 / 7, rel=0.005)


@pytest.mark.django_db
def test_the_dashboards_total_is_the_plans_total_on_a_2000_item_roadmap() -> None:
    result = roadmap_load(data=big_document(2000))
    counts = document_for(result.version).counts()
    assert counts["topics"] + counts["projects"] == 2000
    enrollment = _enrolled("big", "dave")
    board = dashboard_for(enrollment, date(2026, 3, 1))
    plan = plan_for(enrollment, date(2026, 3, 1))
    assert len(plan["items"]) == 2000
    planned = sum(item["hours"] for item in plan["items"])
    assert board["overall"]["hours_total"] == pytest.approx(planned, rel=0.005)


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [6, 12.5])
def test_the_feed_books_the_plans_weekly_hours_in_the_learners_zone_across_dst(
    builtin: Any, api_for: Any, client: Any, hours: float
) -> None:
    roadmap, _ = builtin
    user = User.objects.create(username=f"erin{int(hours)}")
    user.time_zone = "Europe/Berlin"
    user.save()
    now = datetime(2026, 10, 14, 9, 0, tzinfo=UTC)  # Berlin leaves summer time on 25 Oct
    with time_machine.travel(now, tick=False):
        enrollment = enrollment_create(
            user=user, roadmap_slug=roadmap.slug, start_date=date(2026, 9, 7), weekly_hours=hours
        )
        response = api_for(user).post(f"/api/v1/enrollments/{enrollment.pk}/calendar")
        assert response.status_code == 201
        url = response.json()["url"]
        assert url.startswith("http://testserver/")
        feed = client.get(url.removeprefix("http://testserver"))
    assert feed.status_code == 200
    calendar = icalendar.Calendar.from_ical(feed.content)
    blocks = [e for e in calendar.walk("VEVENT") if isinstance(e.decoded("DTSTART"), datetime)]
    assert blocks
    total = sum((e.decoded("DTEND") - e.decoded("DTSTART") for e in blocks), timedelta())
    assert total.total_seconds() / 3600 == pytest.approx(hours * 8, rel=0.10)
    berlin = ZoneInfo("Europe/Berlin")
    starts = [e.decoded("DTSTART") for e in blocks]
    assert {s.tzinfo.key for s in starts} == {"Europe/Berlin"}  # type: ignore[union-attr]
    # The routine's wall-clock times hold on both sides of the change.
    before = {s.time() for s in starts if s.date() < date(2026, 10, 25)}
    after = {s.time() for s in starts if s.date() > date(2026, 10, 25)}
    assert before == after
    offsets = {s.astimezone(berlin).utcoffset() for s in starts}
    assert offsets == {timedelta(hours=2), timedelta(hours=1)}
    # Each block names what the plan has for that week.
    assert any(":" in str(e["SUMMARY"]) for e in blocks)


@pytest.mark.django_db
def test_a_new_calendar_address_retires_the_old_one(
    builtin: Any, api_for: Any, client: Any
) -> None:
    roadmap, _ = builtin
    user = User.objects.create(username="frank")
    enrollment = enrollment_create(user=user, roadmap_slug=roadmap.slug)
    api = api_for(user)
    first = api.post(f"/api/v1/enrollments/{enrollment.pk}/calendar").json()["url"]
    second = api.post(f"/api/v1/enrollments/{enrollment.pk}/calendar").json()["url"]
    assert first != second
    assert client.get(first.removeprefix("http://testserver")).status_code == 404
    assert client.get(second.removeprefix("http://testserver")).status_code == 200


@pytest.mark.django_db
def test_the_calendar_endpoint_is_404_for_anyone_but_the_owner(
    builtin: Any, api_for: Any, client: Any, staff: Any
) -> None:
    roadmap, _ = builtin
    owner = User.objects.create(username="gina")
    other = User.objects.create(username="hank")
    enrollment = enrollment_create(user=owner, roadmap_slug=roadmap.slug)
    path = f"/api/v1/enrollments/{enrollment.pk}/calendar"
    assert client.post(path).status_code == 401
    assert api_for(other).post(path).status_code == 404
    assert api_for(staff).post(path).status_code == 404
    assert api_for(owner).post(path).status_code == 201
