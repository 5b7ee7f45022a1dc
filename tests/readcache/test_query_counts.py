"""Every read endpoint's query count is pinned, first read and repeat, as shipped (read
cache on). A new GET endpoint fails `test_every_read_endpoint_is_pinned` until pinned."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from levelup.journal.services import journal_entry_create, study_session_log
from levelup.planning.services import calendar_feed_create
from levelup.progress.models import Enrollment
from levelup.progress.services import item_update

# path template → (most queries on a first read, most on a repeat with nothing changed).
# Cached routes answer a repeat with the token and the enrollment's stamp alone.
API_READS: dict[str, tuple[int, int]] = {
    # No token: the health check's database ping; the public roadmap reads.
    "/api/v1/health": (1, 1),
    # Roadmap reads take the caller's token (lookup and last-used stamp) to see private roadmaps.
    "/api/v1/roadmaps": (3, 2),
    "/api/v1/roadmaps/{slug}": (3, 2),
    "/api/v1/roadmaps/{slug}/items/{item_key}": (3, 2),
    # A first read also stamps the token's last use (once a minute at most).
    "/api/v1/me": (2, 1),
    # Enrollment reads also read the pauses, which decide "paused" on the day.
    "/api/v1/enrollments": (4, 3),
    "/api/v1/enrollments/{enrollment_id}": (4, 3),
    "/api/v1/enrollments/{enrollment_id}/events": (5, 4),
    "/api/v1/enrollments/{enrollment_id}/items/{item_key}": (5, 4),
    "/api/v1/enrollments/{enrollment_id}/journal": (5, 4),
    "/api/v1/enrollments/{enrollment_id}/journal/{entry_id}": (4, 3),
    "/api/v1/enrollments/{enrollment_id}/practice": (5, 4),
    "/api/v1/enrollments/{enrollment_id}/sessions": (5, 4),
    "/api/v1/enrollments/{enrollment_id}/sessions.csv": (5, 4),
    # Cached: a repeat is the token with its user, then one statement for the enrollment,
    # its stamp and the user's certifications (count and latest change).
    "/api/v1/enrollments/{enrollment_id}/dashboard": (11, 2),
    "/api/v1/enrollments/{enrollment_id}/plan": (8, 2),
    "/api/v1/enrollments/{enrollment_id}/plan/this-week": (8, 2),
    "/api/v1/enrollments/{enrollment_id}/progress": (5, 2),
    "/api/v1/enrollments/{enrollment_id}/streaks": (6, 2),
    "/api/v1/enrollments/{enrollment_id}/weekly-review": (8, 2),
}


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _get_paths() -> set[str]:
    from levelup.api import api

    schema = api.get_openapi_schema()
    return {path for path, ops in schema["paths"].items() if "get" in ops}


# Read endpoints whose counts their own app's tests pin, with the data they need (reviews,
# teams, archives, studio versions). They are not behind the read cache.
PINNED_ELSEWHERE: dict[str, str] = {
    "/api/v1/credentials/verify": "tests/mentoring",
    "/api/v1/enrollments/{enrollment_id}/reviews": "tests/mentoring",
    "/api/v1/inbox": "tests/mentoring",
    "/api/v1/issuer": "tests/mentoring",
    "/api/v1/issuer/jwks": "tests/mentoring",
    "/api/v1/mentees": "tests/mentoring",
    "/api/v1/mentorships": "tests/mentoring",
    "/api/v1/reviews/{review_id}": "tests/mentoring",
    "/api/v1/reviews/{review_id}/credential": "tests/mentoring",
    "/api/v1/teams": "tests/mentoring",
    "/api/v1/teams/{team_id}": "tests/mentoring",
    "/api/v1/me/certifications": "tests/resources",
    "/api/v1/me/resources": "tests/resources",
    "/api/v1/me/export": "tests/datatransfer",
    "/api/v1/me/portfolio": "tests/portfolio",
    "/api/v1/enrollments/{enrollment_id}/archived-items": "tests/progress/test_upgrade.py",
    "/api/v1/enrollments/{enrollment_id}/upgrade": "tests/progress/test_upgrade.py",
    "/api/v1/roadmaps/{slug}/diff": "tests/roadmaps/test_studio.py",
    "/api/v1/roadmaps/{slug}/export": "tests/roadmaps/test_studio.py",
    "/api/v1/roadmaps/{slug}/versions": "tests/roadmaps/test_studio.py",
}


def test_every_read_endpoint_is_pinned(db: Any) -> None:
    """A new GET endpoint needs a pin here or a named place where its app pins it."""
    assert not set(API_READS) & set(PINNED_ELSEWHERE)
    assert _get_paths() == set(API_READS) | set(PINNED_ELSEWHERE)


@pytest.fixture
def history(enrollment: Enrollment) -> dict[str, Any]:
    item_update(enrollment=enrollment, actor=enrollment.user, item_key="topic:alpha", status="done")
    for minutes in (30, 45, 60):
        study_session_log(enrollment=enrollment, minutes=minutes, category="theory")
    entry = journal_entry_create(enrollment=enrollment, title="What I learned", body="*much*")
    return {
        "slug": "tiny",
        "item_key": "topic:alpha",
        "enrollment_id": enrollment.pk,
        "entry_id": entry.pk,
    }


@pytest.mark.parametrize("template", sorted(API_READS))
def test_read_endpoint_query_counts(
    template: str,
    history: dict[str, Any],
    enrollment: Enrollment,
    api_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    api = api_for(enrollment.user)
    url = template.format(**history)
    first_most, repeat_most = API_READS[template]
    with django_assert_max_num_queries(first_most):
        first = api.get(url)
        first_body = _body(first)  # a streamed answer queries while it is read
    assert first.status_code == 200, first_body
    with django_assert_max_num_queries(repeat_most):
        again = api.get(url)
        again_body = _body(again)
    assert again.status_code == 200
    assert again_body == first_body


@pytest.mark.parametrize(
    ("page", "first_most", "repeat_most"),
    # Session, user, one statement for the enrollments with their stamps and the user's
    # certifications; the feed: its secret, then that statement.
    [("dashboard", 12, 3), ("plan", 11, 3), ("feed", 8, 2)],
)
def test_cached_page_query_counts(
    page: str,
    first_most: int,
    repeat_most: int,
    history: dict[str, Any],
    enrollment: Enrollment,
    web_for: Any,
    client: Any,
    django_assert_max_num_queries: Any,
) -> None:
    if page == "feed":
        _, secret = calendar_feed_create(enrollment=enrollment)
        browser, url = client, reverse("planning:ics", args=[secret])
    else:
        browser = web_for(enrollment.user)
        url = reverse("dashboard:home") if page == "dashboard" else f"/plan/{enrollment.pk}/"
        browser.get(url)  # the CSRF cookie, as a browser has it after its first visit
        from django.core.cache import cache

        cache.clear()
    with django_assert_max_num_queries(first_most):
        first = browser.get(url)
    assert first.status_code == 200
    with django_assert_max_num_queries(repeat_most):
        again = browser.get(url)
    assert again.content == first.content
