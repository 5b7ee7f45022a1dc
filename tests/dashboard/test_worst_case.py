"""The worst case the rules allow costs bounded work: a fixed number of queries and a
bounded number of executed lines of levelup's code, whatever the enrollment's span and
however many pauses it holds (docs/security.md, "Bounded work").

The longest enrollment runs the whole range of days (2000-01-01 to 2100-12-31) and holds
`MAX_PAUSES` pauses spread over all of it, some behind today and some scheduled ahead, so
the plan's walk crosses decades of paused weeks. Work is counted as Python line events in
levelup's modules (`sys.settrace`), never as wall time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import time_machine
from django.urls import reverse

import levelup
from levelup.dashboard.selectors import dashboard_for
from levelup.journal.models import StudySession
from levelup.journal.selectors import streaks_for, weekly_review
from levelup.lib.dates import EARLIEST_DAY, LATEST_DAY
from levelup.planning.core import MAX_PLAN_WEEKS
from levelup.planning.selectors import plan_for, this_week_for
from levelup.progress.models import Enrollment, Pause
from levelup.progress.selectors import enrollment_get
from levelup.progress.services import MAX_PAUSES, enrollment_create, enrollment_pause
from tests.dashboard.test_queries import DASHBOARD_QUERIES

LEVELUP = str(Path(levelup.__file__).resolve().parent)

# Lines of levelup's code one dashboard read may execute. The plan's walk is the largest
# part: at most MAX_PLAN_WEEKS weeks at a few dozen lines each, whatever the pauses; the
# pauses add a few lines each. Measured: about 220,000 in the worst case below.
LINES_PER_PLAN_WEEK = 90
LINE_BUDGET = LINES_PER_PLAN_WEEK * MAX_PLAN_WEEKS + 50_000
# What one more pause may cost a read, at most (it is merged and clipped, never walked).
LINES_PER_PAUSE = 400


def executed_lines(work: Callable[[], Any]) -> int:
    """Python line events in levelup's own modules while ``work`` runs."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(LEVELUP) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


TODAY = date(2030, 6, 12)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


def longest_enrollment(user: Any, slug: str, *, pauses: int) -> Enrollment:
    """An enrollment over the whole range with ``pauses`` pauses recorded through the
    service (so they obey every rule), evenly spread from start to end: the last one open."""
    enrollment = enrollment_create(user=user, roadmap_slug=slug, start_date=EARLIEST_DAY)
    span = (LATEST_DAY - EARLIEST_DAY).days
    step = span // pauses
    for n in range(pauses):
        first = EARLIEST_DAY + timedelta(days=n * step + 1)
        last = None if n == pauses - 1 else first + timedelta(days=step - 3)
        enrollment_pause(enrollment=enrollment, start_date=first, end_date=last)
    # Study on the first day, around today and on a few days between: streaks read them.
    days = [EARLIEST_DAY, *(TODAY - timedelta(days=d) for d in (0, 1, 2, 9, 400, 4000))]
    StudySession.objects.bulk_create(
        StudySession(enrollment=enrollment, date=day, minutes=60, category="theory") for day in days
    )
    return enrollment_get(user=user, enrollment_id=enrollment.pk)


@pytest.fixture
def worst(builtin: Any, alice: Any, frozen: None) -> Enrollment:
    roadmap, _ = builtin
    return longest_enrollment(alice, roadmap.slug, pauses=MAX_PAUSES)


def test_the_worst_case_holds_the_most_pauses_the_rules_allow(worst: Enrollment) -> None:
    assert worst.pauses.count() == MAX_PAUSES
    with pytest.raises(Exception, match=f"{MAX_PAUSES} pauses"):
        enrollment_pause(enrollment=worst, start_date=LATEST_DAY, end_date=LATEST_DAY)
    first, last = worst.pauses.first(), worst.pauses.last()
    assert first is not None and last is not None
    assert first.start_date < TODAY < last.start_date  # behind today and scheduled ahead


def test_the_worst_case_dashboard_runs_a_fixed_number_of_queries(
    worst: Enrollment, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(DASHBOARD_QUERIES):
        data = dashboard_for(worst)
    assert data["status"] == "paused"  # today lies in one of the pauses
    assert data["verdict"]["status"]


def test_the_worst_case_dashboard_page_and_api_run_a_fixed_number_of_queries(
    worst: Enrollment, api_for: Any, web_for: Any, django_assert_num_queries: Any
) -> None:
    api, web = api_for(worst.user), web_for(worst.user)
    with django_assert_num_queries(3 + DASHBOARD_QUERIES):
        response = api.get(f"/api/v1/enrollments/{worst.pk}/dashboard")
    assert response.status_code == 200
    with django_assert_num_queries(3 + DASHBOARD_QUERIES + 1):
        page = web.get(reverse("dashboard:home"))
    assert page.status_code == 200


def test_the_worst_case_reads_execute_a_bounded_number_of_lines(
    worst: Enrollment, settings: Any
) -> None:
    # Every read computes its plan: nothing comes from the cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    reads: dict[str, Callable[[], Any]] = {
        "dashboard": lambda: dashboard_for(worst),
        "plan": lambda: plan_for(worst),
        "this week": lambda: this_week_for(worst),
        "weekly review": lambda: weekly_review(worst),
        "streaks": lambda: streaks_for(worst),
    }
    lines = {name: executed_lines(read) for name, read in reads.items()}
    assert all(0 < n <= LINE_BUDGET for n in lines.values()), lines
    # The streaks cover a century of days with a hundred pauses without walking them.
    assert lines["streaks"] < 5_000, lines


def test_a_read_costs_no_more_per_pause_than_merging_it(
    builtin: Any, alice: Any, bob: Any, frozen: None, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    roadmap, _ = builtin
    few = longest_enrollment(alice, roadmap.slug, pauses=10)
    many = longest_enrollment(bob, roadmap.slug, pauses=MAX_PAUSES)
    for read in (dashboard_for, streaks_for):
        extra = executed_lines(lambda r=read: r(many)) - executed_lines(lambda r=read: r(few))
        assert extra <= LINES_PER_PAUSE * (MAX_PAUSES - 10), (read.__name__, extra)


def test_a_century_long_enrollment_costs_no_more_than_a_new_one(
    builtin: Any, alice: Any, bob: Any, frozen: None, settings: Any
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    roadmap, _ = builtin
    old = enrollment_create(user=alice, roadmap_slug=roadmap.slug, start_date=EARLIEST_DAY)
    new = enrollment_create(user=bob, roadmap_slug=roadmap.slug, start_date=TODAY)
    for enrollment in (old, new):
        StudySession.objects.create(
            enrollment=enrollment, date=enrollment.start_date, minutes=60, category="theory"
        )
        StudySession.objects.create(enrollment=enrollment, date=TODAY, minutes=60, category="x")
    span = executed_lines(lambda: (dashboard_for(old), streaks_for(old)))
    fresh = executed_lines(lambda: (dashboard_for(new), streaks_for(new)))
    # Thirty years behind today add nothing that grows with the days.
    assert span <= fresh * 1.5, (span, fresh)


def test_an_archived_worst_case_still_renders(worst: Enrollment, api_for: Any) -> None:
    from levelup.progress.services import enrollment_archive

    enrollment_archive(enrollment=worst)
    assert not Pause.objects.filter(enrollment=worst, start_date__gt=TODAY).exists()
    api = api_for(worst.user)
    for path in ("dashboard", "plan", "plan/this-week"):
        assert api.get(f"/api/v1/enrollments/{worst.pk}/{path}").status_code == 200, path
