"""Query counts of the mentoring list pages and endpoints do not grow with the data."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from levelup.mentoring import services
from levelup.progress.services import enrollment_create, item_update

from .conftest import SELF

pytestmark = pytest.mark.django_db


def _count(request: Callable[[], Any]) -> int:
    # Once first: a token's first use of the minute records its last use.
    request()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def _add_mentees(carol: Any, make_user: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        learner = make_user(f"learner{i}")
        enrollment = enrollment_create(
            user=learner, roadmap_slug="tiny", start_date=date(2026, 1, 1)
        )
        _, code = services.invitation_create(learner=learner)
        services.invitation_accept(mentor=carol, code=code)
        item_update(
            enrollment=enrollment, actor=learner, item_key="project:build-it", status="done"
        )
        review = services.review_submit(
            enrollment=enrollment, actor=learner, checkpoint_slug="month-4", criteria=SELF
        )
        services.review_comment(review_id=review.pk, author=learner, body="ping")


# The pinned ceilings (the measured count, whatever the number of mentees).
PINNED = {
    "/api/v1/mentees": 6,
    "/api/v1/inbox": 6,
    "/mentoring/": 9,
    "/inbox/": 7,
}


@pytest.mark.parametrize("path", list(PINNED))
def test_mentor_lists_run_a_fixed_number_of_queries(
    path: str,
    tiny: Any,
    carol: Any,
    make_user: Any,
    api_for: Any,
    web_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = api_for(carol) if path.startswith("/api/") else web_for(carol)
    _add_mentees(carol, make_user, 0, 1)
    few = _count(lambda: client.get(path))
    _add_mentees(carol, make_user, 1, 4)
    many = _count(lambda: client.get(path))
    assert many == few, f"{path}: {few} queries for one mentee, {many} for five"
    with django_assert_max_num_queries(PINNED[path]):
        client.get(path)


def test_a_review_reads_in_a_fixed_number_of_queries(
    tiny: Any,
    alice: Any,
    carol: Any,
    enrollment: Any,
    mentorship: Any,
    api_for: Any,
    web_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    review = services.review_submit(
        enrollment=enrollment, actor=alice, checkpoint_slug="month-4", criteria=SELF
    )
    api, web = api_for(carol), web_for(carol)
    few_api = _count(lambda: api.get(f"/api/v1/reviews/{review.pk}"))
    few_web = _count(lambda: web.get(f"/reviews/{review.pk}/"))
    for i in range(6):
        services.review_comment(
            review_id=review.pk, author=alice if i % 2 else carol, body=f"message {i}"
        )
    services.review_claim(review_id=review.pk, mentor=carol)
    services.review_decide(
        review_id=review.pk, mentor=carol, decision="changes_requested", base_url="http://x"
    )
    services.review_submit(
        enrollment=enrollment, actor=alice, checkpoint_slug="month-4", criteria=SELF
    )
    assert _count(lambda: api.get(f"/api/v1/reviews/{review.pk}")) == few_api
    assert _count(lambda: web.get(f"/reviews/{review.pk}/")) == few_web
    with django_assert_max_num_queries(9):
        api.get(f"/api/v1/reviews/{review.pk}")
    with django_assert_max_num_queries(12):
        web.get(f"/reviews/{review.pk}/")


def test_the_team_list_runs_a_fixed_number_of_queries(
    tiny: Any, lena: Any, make_user: Any, api_for: Any, django_assert_max_num_queries: Any
) -> None:
    api = api_for(lena)
    for i in range(2):
        services.team_create(lead=lena, name=f"team {i}")
    few = _count(lambda: api.get("/api/v1/teams"))
    for i in range(2, 8):
        services.team_create(lead=lena, name=f"team {i}")
    assert _count(lambda: api.get("/api/v1/teams")) == few
    with django_assert_max_num_queries(5):
        api.get("/api/v1/teams")


def test_the_team_page_costs_a_fixed_number_of_queries_per_member(
    tiny: Any, lena: Any, make_user: Any, api_for: Any, web_for: Any
) -> None:
    """Everything but the verdict is read for the whole team at once; the verdict is the
    plan's own (`schedule_status_for`, four queries a member), never recomputed here."""
    api, web = api_for(lena), web_for(lena)
    team = services.team_create(lead=lena, name="t")
    counts = []
    for n in range(1, 5):
        member = make_user(f"m{n}")
        enrollment = enrollment_create(
            user=member, roadmap_slug="tiny", start_date=date(2026, 1, 1)
        )
        item_update(enrollment=enrollment, actor=member, item_key="topic:alpha", status="done")
        services.team_member_add(team_id=team.pk, lead=lena, username=member.username)
        counts.append(
            (
                _count(lambda: api.get(f"/api/v1/teams/{team.pk}")),
                _count(lambda: web.get(f"/teams/{team.pk}/")),
            )
        )
    api_counts = [c[0] for c in counts]
    web_counts = [c[1] for c in counts]
    assert api_counts == [7 + 4 * n for n in range(1, 5)]
    assert [b - a for a, b in itertools.pairwise(web_counts)] == [4, 4, 4]
