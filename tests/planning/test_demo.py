"""`levelup demo` leaves the demo learner with a plan that has history behind it."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from levelup.planning import demo, selectors
from levelup.planning.models import CalendarFeed
from levelup.progress.models import Enrollment


def test_extend_turns_on_the_calendar_feed_and_is_safe_to_repeat(enrollment: Enrollment) -> None:
    demo.extend(enrollment)
    demo.extend(enrollment)
    feed = CalendarFeed.objects.get(enrollment=enrollment)
    assert feed.times == {"evening": "19:30"}


@time_machine.travel("2026-11-18T12:00:00+00:00", tick=False)
def test_the_demo_learner_has_a_forecast_and_a_verdict_against_the_target(builtin: Any) -> None:
    from levelup.progress.demo import demo_create

    demo_create(today=date(2026, 11, 18))
    enrollment = Enrollment.objects.select_related("user", "version").get(user__username="demo")
    data = selectors.plan_for(enrollment)
    assert data["forecast"]["weeks_of_history"] >= 4
    assert data["finish"]["p50"] is not None and data["finish"]["p85"] is not None
    assert any(item["actual_start"] for item in data["items"])
    assert any(item["status"] == "done" for item in data["items"])
    assert CalendarFeed.objects.filter(enrollment=enrollment).exists()
    verdict, finish = selectors.plan_context(enrollment).verdict
    assert verdict.status in {"on_track", "behind", "ahead"}
    assert verdict.weeks == abs((finish.forecast - finish.target).days) // 7
