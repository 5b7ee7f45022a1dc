"""The access matrix: every route Django resolves, for every role.

The tables below have one row per URL pattern (pages) and one per operation (API). Two
tests walk Django's URL resolver and the OpenAPI document and fail, naming the route,
when a route has no row: a new route cannot ship without saying who may use it.

Roles: the owner (alice), the owner's mentor (carol), an unrelated mentor (dave, who
mentors bob), another learner (bob), staff, and anonymous. Another user's data answers
404, whoever asks; only the owner (and, where the product says so, her mentor) sees it.
Each role's request runs in a savepoint that is rolled back, so every role meets the same
world; a request that is refused must leave every row of the database as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from levelup.accounts.models import User
from levelup.accounts.services import signup_invite_create
from levelup.accounts.tokens import api_token_create
from levelup.journal import services as journal
from levelup.mentoring import services as mentoring
from levelup.planning.services import calendar_feed_create
from levelup.portfolio.models import PortfolioSettings
from levelup.progress import services as progress
from levelup.progress.models import ChecklistTick
from levelup.resources import services as resources
from levelup.roadmaps.models import Roadmap
from levelup.roadmaps.services import roadmap_fork, roadmap_load, roadmap_load_file
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.yaml"
ROLES = ("anonymous", "other", "staff", "unrelated_mentor", "mentor", "owner")
LOGIN = 302  # pages send anonymous visitors to the sign-in page
ADMIN_LOGIN = 302  # the admin sends everyone but staff to its own sign-in page


def expect(
    owner: int, anonymous: int, outsider: int = 404, overrides: dict[str, int] | None = None
) -> dict[str, int]:
    """Statuses by role: the owner's, anonymous's, everyone else's (404 by default),
    then any role named in `overrides`."""
    table = {role: outsider for role in ROLES}
    table.update(owner=owner, anonymous=anonymous)
    table.update(overrides or {})
    return table


def page(owner: int = 200, **overrides: int) -> dict[str, int]:
    """A page of the owner's data: anonymous is sent to sign in, others get 404."""
    return expect(owner, LOGIN, overrides=overrides)


def signed_in(status: int = 200, **overrides: int) -> dict[str, int]:
    """A page every signed-in user may open about themselves."""
    return expect(status, LOGIN, status, overrides)


def api(owner: int = 200, **overrides: int) -> dict[str, int]:
    """An operation on the owner's data: anonymous 401, others 404."""
    return expect(owner, 401, overrides=overrides)


def api_self(status: int = 200, **overrides: int) -> dict[str, int]:
    """An operation on the caller's own account: any signed-in caller may use it."""
    return expect(status, 401, status, overrides)


def public(status: int = 200, **overrides: int) -> dict[str, int]:
    return expect(status, status, status, overrides)


def staff_only(status: int = 200) -> dict[str, int]:
    return expect(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, {"staff": status})


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # a template filled from the world: {enrollment}, {fork}, ...
    expected: dict[str, int]
    body: dict[str, Any] | None = field(default=None)
    form: bool = False  # a page's form post (form-encoded) rather than JSON


E = "/enrollments/{enrollment}"
A = "/api/v1"
AE = A + "/enrollments/{enrollment}"
SELF_RATINGS = {"criteria": [{"slug": "built", "rating": 3}, {"slug": "taught", "rating": 2}]}
PRACTICE = {"platform": "leetcode", "title": "Sum", "difficulty": "easy", "outcome": "solved"}

PAGES: list[Row] = [
    Row("get", "/", public()),
    Row("get", "/api/openapi.json", public(302)),
    Row("get", "/api/docs", public(302)),
    # Accounts
    Row("get", "/accounts/signup/", signed_in(302, anonymous=200)),
    Row("get", "/accounts/login/", signed_in(302, anonymous=200)),
    Row("post", "/accounts/logout/", public(302), form=True),
    Row("get", "/accounts/password/", signed_in()),
    Row("get", "/accounts/profile/", signed_in()),
    Row("get", "/accounts/tokens/", signed_in()),
    Row("get", "/accounts/tokens/created/", signed_in()),
    Row("post", "/accounts/tokens/{token}/revoke/", page(302), form=True),
    Row("get", "/accounts/password/reset/", public()),
    Row("get", "/accounts/password/reset/sent/", public()),
    Row("get", "/accounts/password/reset/MQ/not-a-token/", public()),
    Row("get", "/accounts/password/reset/done/", public()),
    Row("get", "/accounts/invites/", page(404, staff=200)),
    Row("post", "/accounts/invites/{signup_invite}/revoke/", page(404, staff=302), form=True),
    # Roadmaps: the tiny one is public, alice's fork of it is private
    Row("get", "/roadmaps/", public(302)),
    Row("get", "/roadmaps/studio/", signed_in()),
    Row("get", "/roadmaps/tiny/", public()),
    Row("get", "/roadmaps/{fork}/", page(anonymous=404)),
    Row("post", "/roadmaps/{fork}/fork/", page(302), form=True),
    Row("get", "/roadmaps/{fork}/edit/", page()),
    Row("get", "/roadmaps/{fork}/source/", page()),
    Row("get", "/roadmaps/{fork}/versions/", page(anonymous=404)),
    Row("get", "/roadmaps/{fork}/export/", page(anonymous=404)),
    Row("post", "/roadmaps/{fork}/settings/", page(302), form=True, body={"visibility": "public"}),
    Row("post", "/roadmaps/{fork}/upstream/", page(302), form=True),
    Row("get", "/roadmaps/{fork}/topics/alpha/", page(anonymous=404)),
    Row("get", "/roadmaps/{fork}/projects/build-it/", page(anonymous=404)),
    # Enrollments and progress
    Row("get", "/dashboard/", signed_in()),
    Row(
        "post",
        "/enroll/{fork}/",
        page(302),
        form=True,
        body={"start_date": "2026-02-01", "weekly_hours": "5", "study_days": ["0", "2"]},
    ),
    Row("get", E + "/onboarding/", page()),
    Row("get", E + "/assessment/", page()),
    Row("get", E + "/settings/", page()),
    Row(
        "post",
        E + "/status/",
        page(302),
        form=True,
        body={"item_key": "topic:beta", "status": "in_progress"},
    ),
    Row("get", E + "/evidence/{evidence}/edit/", page()),
    Row("post", E + "/evidence/{evidence}/delete/", page(302), form=True),
    Row("get", E + "/items/topic:alpha/", page()),
    Row("get", E + "/upgrade/", page(302)),
    Row("get", E + "/archived/", page()),
    Row("get", E + "/export.md", page()),
    # Journal: the enrollment comes from the query string
    Row("get", "/journal/?enrollment={enrollment}", page()),
    Row("get", "/journal/sessions/?enrollment={enrollment}", page()),
    Row(
        "post",
        "/journal/sessions/add/?enrollment={enrollment}",
        page(302),
        form=True,
        body={"minutes": "30", "category": "theory", "date": "2026-01-07"},
    ),
    Row("get", "/journal/sessions/{session}/edit/", page()),
    Row("post", "/journal/sessions/{session}/delete/", page(302), form=True),
    Row("get", "/journal/sessions.csv?enrollment={enrollment}", page()),
    Row("get", "/journal/csv/?enrollment={enrollment}", page()),
    Row("get", "/journal/practice/?enrollment={enrollment}", page()),
    Row("get", "/journal/practice/{problem}/edit/", page()),
    Row("post", "/journal/practice/{problem}/delete/", page(302), form=True),
    Row("get", "/journal/entries/?enrollment={enrollment}", page()),
    Row("get", "/journal/entries/new/?enrollment={enrollment}", page()),
    Row("get", "/journal/entries/{entry}/", page()),
    Row("get", "/journal/entries/{entry}/edit/", page()),
    Row("post", "/journal/entries/{entry}/delete/", page(302), form=True),
    # Planning
    Row("get", "/plan/", signed_in(302)),
    Row("get", "/plan/{enrollment}/", page()),
    Row("post", "/plan/{enrollment}/settings/", page(302), form=True, body={"weekly_hours": "5"}),
    Row("post", "/plan/{enrollment}/calendar/", page(302), form=True, body={"action": "create"}),
    Row("get", "/calendar/{calendar}.ics", public()),
    Row("get", "/calendar/not-the-secret.ics", public(404)),
    # Mentoring
    Row("get", "/mentoring/", signed_in()),
    Row("post", "/mentoring/invite/", signed_in(302), form=True),
    Row("get", "/mentoring/accept/{invitation}/", signed_in()),
    Row("post", "/mentoring/mentorships/{mentorship}/end/", page(302, mentor=302), form=True),
    Row("post", "/mentoring/notifications/", signed_in(302), form=True),
    Row("get", "/mentoring/sharing/", signed_in()),
    Row("get", "/mentees/{alice}/", page(404, mentor=200)),
    Row("get", E + "/checkpoints/", page()),
    Row("get", E + "/checkpoints/month-4/review/", page()),
    Row("get", "/reviews/{review}/", page(mentor=200)),
    Row("post", "/reviews/{review}/claim/", page(403, mentor=409), form=True),
    Row(
        "post", "/reviews/{review}/comment/", page(302, mentor=302), form=True, body={"body": "hi"}
    ),
    Row(
        "post",
        "/reviews/{review}/decision/",
        page(403, mentor=409),
        form=True,
        body={"decision": "approved"},
    ),
    Row("post", "/reviews/{review}/revoke/", page(302), form=True),
    Row("get", "/reviews/{review}/credential.json", page(mentor=200)),
    Row("get", "/credentials/verify/", public()),
    Row("get", "/credentials/not-a-credential/", public(404)),
    Row("get", "/inbox/", signed_in()),
    Row("get", "/teams/", signed_in()),
    Row("get", "/teams/{team}/", page()),
    Row("post", "/teams/{team}/members/", page(302), form=True, body={"username": "bob"}),
    Row("post", "/teams/{team}/assign/", page(302), form=True, body={"roadmap": "tiny-two"}),
    Row("post", "/teams/{team}/lead-mentor/", page(302), form=True, body={"lead": "alice"}),
    # Reading list, certifications, portfolio, the learner's data
    Row("get", "/reading/", signed_in()),
    Row("post", "/reading/{reading}/", page(302), form=True, body={"delete": "1"}),
    Row("get", "/certifications/", signed_in()),
    Row(
        "post",
        "/certifications/{certification}/",
        page(302),
        form=True,
        body={"delete": "1"},
    ),
    Row("get", "/u/alice/", public()),
    Row("get", "/u/alice/card.svg", public()),
    Row("get", "/u/bob/", public(404)),
    Row("get", "/accounts/portfolio/", signed_in()),
    Row("get", "/accounts/portfolio/portfolio.zip", signed_in(302, owner=200)),
    Row("get", "/accounts/data/", signed_in()),
    Row("get", "/accounts/data/export.json", signed_in()),
    Row("post", "/accounts/data/import/", signed_in(422), form=True),
    Row("post", "/accounts/data/delete/", signed_in(422), form=True),
    # The admin's own pages; its per-model pages are generated below
    Row("get", "/admin/", staff_only()),
    Row("get", "/admin/login/", public(200, staff=302)),
    Row("post", "/admin/logout/", public(302), form=True),
    Row("get", "/admin/password_change/", staff_only()),
    Row("get", "/admin/password_change/done/", staff_only()),
    Row("get", "/admin/autocomplete/", staff_only(403)),
    Row("get", "/admin/jsi18n/", staff_only()),
    Row("get", "/admin/r/1/1/", staff_only(404)),
    Row("get", "/admin/progress/", staff_only()),
    Row("get", "/admin/no-such-page/", staff_only(404)),
    # UserAdmin's own page: staff set a user's password.
    Row("get", "/admin/accounts/user/{admin_accounts_user}/password/", staff_only()),
]

API: list[Row] = [
    Row("get", A + "/openapi.json", public()),
    Row("get", A + "/docs", public()),
    Row("get", A + "/health", public()),
    Row("get", A + "/", public(404)),
    # The caller's own account
    Row("get", A + "/me", api_self()),
    Row("patch", A + "/me", api_self(), body={"display_name": "Someone"}),
    Row("delete", A + "/me", api_self(422)),
    # Roadmaps
    Row("get", A + "/roadmaps", public()),
    Row("post", A + "/roadmaps", api_self(422)),
    Row("post", A + "/roadmaps/import", api_self(422)),
    Row("get", A + "/roadmaps/tiny", public()),
    Row("get", A + "/roadmaps/{fork}", api(anonymous=404)),
    Row("put", A + "/roadmaps/{fork}", api(422)),
    Row("patch", A + "/roadmaps/{fork}", api(), body={"visibility": "private"}),
    Row("post", A + "/roadmaps/{fork}/fork", api(201)),
    Row("get", A + "/roadmaps/{fork}/versions", api(anonymous=404)),
    Row("get", A + "/roadmaps/{fork}/diff?from=1", api(anonymous=404)),
    Row("get", A + "/roadmaps/{fork}/export", api(anonymous=404)),
    Row("get", A + "/roadmaps/{fork}/items/topic:alpha", api(anonymous=404)),
    # Enrollments and progress
    Row("post", A + "/enrollments", api_self(201), body={"roadmap": "tiny-two"}),
    Row("get", A + "/enrollments", api_self()),
    Row("get", AE, api()),
    Row("patch", AE, api(), body={"weekly_hours": 5}),
    Row("post", AE + "/pause", api()),
    Row("post", AE + "/resume", api(409)),
    Row("post", AE + "/archive", api()),
    Row("get", AE + "/progress", api()),
    Row("get", AE + "/events", api()),
    Row(
        "post",
        AE + "/items/topic:alpha/evidence",
        api(201),
        body={"title": "Notes", "url": "https://example.com/notes"},
    ),
    Row("patch", AE + "/evidence/{evidence}", api(), body={"title": "Renamed"}),
    Row("delete", AE + "/evidence/{evidence}", api(204)),
    Row("get", AE + "/items/topic:alpha", api()),
    Row("put", AE + "/items/topic:beta", api(), body={"status": "in_progress"}),
    Row("get", AE + "/upgrade", api(422)),
    Row("post", AE + "/upgrade", api(422), body={"version": 1}),
    Row("get", AE + "/archived-items", api()),
    # Journal
    Row("post", AE + "/sessions", api(201), body={"minutes": 30, "category": "theory"}),
    Row("get", AE + "/sessions", api()),
    Row("patch", AE + "/sessions/{session}", api(), body={"minutes": 45}),
    Row("delete", AE + "/sessions/{session}", api(204)),
    Row("get", AE + "/sessions.csv", api()),
    Row("post", AE + "/sessions/import", api(422)),
    Row("get", AE + "/weekly-review", api()),
    Row("get", AE + "/streaks", api()),
    Row("get", AE + "/practice", api()),
    Row("post", AE + "/practice", api(201), body=PRACTICE),
    Row("patch", AE + "/practice/{problem}", api(), body={"title": "Two sum again"}),
    Row("delete", AE + "/practice/{problem}", api(204)),
    Row("get", AE + "/journal", api()),
    Row("post", AE + "/journal", api(201), body={"title": "Today"}),
    Row("get", AE + "/journal/{entry}", api()),
    Row("patch", AE + "/journal/{entry}", api(), body={"title": "Yesterday"}),
    Row("delete", AE + "/journal/{entry}", api(204)),
    # Plan and dashboard
    Row("get", AE + "/plan", api()),
    Row("get", AE + "/plan/this-week", api()),
    Row("patch", AE + "/plan/settings", api(), body={"weekly_hours": 5}),
    Row("post", AE + "/calendar", api(201)),
    Row("get", AE + "/dashboard", api()),
    # Mentoring
    Row("post", A + "/mentorships/invitations", api_self(201)),
    Row("post", A + "/mentorships/accept", api_self(422)),
    Row("get", A + "/mentorships", api_self()),
    Row("delete", A + "/mentorships/{mentorship}", api(204, mentor=204)),
    Row("get", A + "/mentees", api_self()),
    Row("post", AE + "/checkpoints/month-4/reviews", api(409), body=SELF_RATINGS),
    Row("get", AE + "/reviews", api()),
    Row("get", A + "/reviews/{review}", api(mentor=200)),
    Row("post", A + "/reviews/{review}/claim", api(403, mentor=409)),
    Row("post", A + "/reviews/{review}/comments", api(201, mentor=201), body={"body": "hi"}),
    Row(
        "post",
        A + "/reviews/{review}/decision",
        api(403, mentor=409),
        body={"decision": "approved"},
    ),
    Row("get", A + "/reviews/{review}/credential", api(mentor=200)),
    Row("post", A + "/reviews/{review}/credential/revoke", api()),
    Row("get", A + "/credentials/verify?id=nothing", public()),
    Row("post", A + "/credentials/verify", public()),
    Row("get", A + "/issuer", public()),
    Row("get", A + "/issuer/jwks", public()),
    Row("get", A + "/inbox", api_self()),
    Row("put", A + "/me/notifications", api_self(), body={"email_enabled": False}),
    Row("post", A + "/teams", api_self(201), body={"name": "Another team"}),
    Row("get", A + "/teams", api_self()),
    Row("get", A + "/teams/{team}", api()),
    Row("post", A + "/teams/{team}/members", api(201), body={"username": "bob"}),
    Row("post", A + "/teams/{team}/assignments", api(), body={"roadmap": "tiny-two"}),
    Row("post", A + "/teams/{team}/lead-mentor", api(422), body={"lead": "alice"}),
    # Reading list, certifications, portfolio, the learner's data
    Row("get", A + "/me/resources", api_self()),
    Row("post", A + "/me/resources", api_self(201), body={"title": "A book"}),
    Row("patch", A + "/me/resources/{reading}", api(), body={"status": "in_progress"}),
    Row("delete", A + "/me/resources/{reading}", api(204)),
    Row("get", A + "/me/certifications", api_self()),
    Row("post", A + "/me/certifications", api_self(201), body={"title": "A certificate"}),
    Row("patch", A + "/me/certifications/{certification}", api(), body={"note": "soon"}),
    Row("delete", A + "/me/certifications/{certification}", api(204)),
    Row("get", A + "/me/portfolio", api_self()),
    Row("patch", A + "/me/portfolio", api_self(), body={"headline": "Backend"}),
    Row("get", A + "/me/export", api_self()),
    Row("post", A + "/me/import", api_self(422)),
]


def _admin_key(model: type[Any]) -> str:
    return f"admin_{model._meta.app_label}_{model._meta.model_name}"


def admin_rows() -> Iterator[Row]:
    """Every page the admin generates for a registered model: staff only. An object's
    bare URL redirects to its change page."""
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pk = "{" + _admin_key(model) + "}"
        yield Row("get", base, staff_only())
        yield Row("get", base + "add/", staff_only())
        for suffix in ("history/", "delete/", "change/"):
            yield Row("get", f"{base}{pk}/{suffix}", staff_only())
        yield Row("get", f"{base}{pk}/", staff_only(302))


ALL_PAGES = PAGES + list(admin_rows())


# -- the rows cover every route ------------------------------------------------------


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            # resolve() reports a regex route without its leading anchor; so do we.
            yield prefix + str(pattern.pattern).removeprefix("^")


def _route_of(path: str) -> str:
    return str(resolve(path.split("?")[0]).route)


def _operations() -> set[tuple[str, str]]:
    from levelup.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    return {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _template_of(path: str) -> str:
    """An API row's path as the OpenAPI document writes it: /enrollments/{enrollment_id}."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", _route_of(path))


def test_every_page_route_has_a_row(world: dict[str, Any]) -> None:
    covered = {_route_of(_fill(row.path, world)) for row in ALL_PAGES + API}
    missing = [
        route
        for route in _patterns(get_resolver().url_patterns)
        if not route.startswith("api/v1/") and route not in covered
    ]
    assert not missing, "routes without a row in the access matrix: " + ", ".join(missing)


def test_every_api_operation_has_a_row(world: dict[str, Any]) -> None:
    covered = {(row.method, _template_of(_fill(row.path, world))) for row in API}
    missing = sorted(_operations() - covered)
    assert not missing, "API operations without a row in the access matrix: " + ", ".join(
        f"{method.upper()} {path}" for method, path in missing
    )


# -- the world and its requests ------------------------------------------------------


@pytest.fixture
def world(make_user: Callable[..., User], alice: User, bob: User, staff: User) -> dict[str, Any]:
    roadmap_load_file(path=TINY)
    second = yaml.safe_load(TINY.read_text())
    roadmap_load(data={**second, "slug": "tiny-two", "title": "Another tiny roadmap"})
    carol = make_user("carol")
    dave = make_user("dave")
    enrollment = progress.enrollment_create(
        user=alice, roadmap_slug="tiny", start_date=date(2026, 1, 1)
    )
    progress.enrollment_create(user=bob, roadmap_slug="tiny", start_date=date(2026, 1, 1))
    progress.assessment_submit(enrollment=enrollment, actor=alice, ratings={"topic:alpha": 2})
    _, code = mentoring.invitation_create(learner=alice)
    mentorship = mentoring.invitation_accept(mentor=carol, code=code)
    _, code = mentoring.invitation_create(learner=bob)
    mentoring.invitation_accept(mentor=dave, code=code)
    _, open_code = mentoring.invitation_create(learner=alice)
    evidence = progress.evidence_add(
        enrollment=enrollment,
        actor=alice,
        item_key="topic:alpha",
        title="My notes",
        url="https://example.com/notes",
    )
    session = journal.study_session_log(
        enrollment=enrollment, minutes=60, category="theory", date=date(2026, 1, 5)
    ).session
    problem = journal.practice_problem_log(
        enrollment=enrollment,
        platform="leetcode",
        title="Two sum",
        difficulty="easy",
        outcome="solved",
        date=date(2026, 1, 6),
    )
    entry = journal.journal_entry_create(enrollment=enrollment, title="Week one")
    review = mentoring.review_submit(
        enrollment=enrollment,
        actor=alice,
        checkpoint_slug="month-4",
        criteria=SELF_RATINGS["criteria"],
        evidence=[{"title": "Slides", "url": "https://example.com/slides"}],
    )
    mentoring.review_claim(review_id=review.pk, mentor=carol)
    mentoring.review_decide(
        review_id=review.pk,
        mentor=carol,
        decision="approved",
        criteria=[{"slug": "built", "rating": 3}, {"slug": "taught", "rating": None}],
        base_url="http://testserver",
    )
    team = mentoring.team_create(lead=alice, name="Guild")
    reading = resources.reading_item_add(user=alice, title="Designing data apps")
    certification = resources.certification_add(user=alice, title="Cloud practitioner")
    fork = roadmap_fork(user=alice, source=Roadmap.objects.get(slug="tiny")).roadmap
    _, calendar_secret = calendar_feed_create(enrollment=enrollment)
    PortfolioSettings.objects.create(user=alice, enabled=True, show_progress=True)
    token = api_token_create(user=alice, name="laptop")
    signup_invite = signup_invite_create(created_by=staff).invite
    Group.objects.create(name="Mentors")
    # The tiny roadmap has no onboarding steps; the admin page only needs a row.
    ChecklistTick.objects.create(enrollment=enrollment, key="prerequisite:git")
    values: dict[str, Any] = {
        "enrollment": enrollment.pk,
        "evidence": evidence.pk,
        "session": session.pk,
        "problem": problem.pk,
        "entry": entry.pk,
        "review": review.pk,
        "mentorship": mentorship.pk,
        "team": team.pk,
        "reading": reading.pk,
        "certification": certification.pk,
        "fork": fork.slug,
        "calendar": calendar_secret,
        "invitation": open_code,
        "alice": alice.pk,
        "token": token.token.pk,
        "signup_invite": signup_invite.pk,
    }
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"the world has no {model._meta.label} for its admin pages"
        values[_admin_key(model)] = first.pk
    users = {"owner": alice, "mentor": carol, "unrelated_mentor": dave, "other": bob}
    return {"users": {**users, "staff": staff, "anonymous": None}, "values": values}


def _fill(template: str, world: dict[str, Any]) -> str:
    return template.format(**world["values"])


def _client(user: User | None, *, for_api: bool) -> Client:
    if for_api:
        return ApiClient(
            api_token_create(user=user, name="matrix", can_write=True).secret if user else None
        )
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# Rows that change without anyone asking for it: a token's last use, a sign-in time.
_VOLATILE_MODELS = {"accounts.apitoken", "accounts.formsubmission", "sessions.session"}
_VOLATILE_FIELDS = {"last_login", "last_used_at", "updated_at"}


def _snapshot() -> dict[str, list[tuple[str, ...]]]:
    """Every row the product keeps, as plain values, for "nothing was written"."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in _VOLATILE_MODELS or model._meta.app_label in {"admin", "contenttypes"}:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name not in _VOLATILE_FIELDS]
        rows[label] = sorted(
            tuple(str(v) for v in values) for values in model._default_manager.values_list(*names)
        )
    return rows


def _send(client: Client, row: Row, path: str) -> int:
    if row.method == "get":
        return int(client.get(path).status_code)
    if row.form:
        return int(client.post(path, row.body or {}).status_code)
    return int(getattr(client, row.method)(path, row.body or {}).status_code)


def _refused(role: str, status: int) -> bool:
    return status >= 400 or (role == "anonymous" and status == LOGIN)


def _check(row: Row, world: dict[str, Any], *, for_api: bool) -> None:
    path = _fill(row.path, world)
    seen: dict[str, int] = {}
    for role in ROLES:
        client = _client(world["users"][role], for_api=for_api)
        writes = row.method != "get" and _refused(role, row.expected[role])
        with transaction.atomic():
            before = _snapshot() if writes else None
            seen[role] = _send(client, row, path)
            if before is not None and _refused(role, seen[role]):
                assert _snapshot() == before, (
                    f"{row.method.upper()} {path}: {role} was refused, yet wrote"
                )
            transaction.set_rollback(True)
    wrong = {
        role: (seen[role], row.expected[role]) for role in ROLES if seen[role] != row.expected[role]
    }
    assert not wrong, f"{row.method.upper()} {path}: " + ", ".join(
        f"{role} got {got}, expected {want}" for role, (got, want) in wrong.items()
    )


@pytest.mark.parametrize("row", ALL_PAGES, ids=lambda r: f"{r.method} {r.path}")
def test_page_access(row: Row, world: dict[str, Any]) -> None:
    _check(row, world, for_api=False)


@pytest.mark.parametrize("row", API, ids=lambda r: f"{r.method} {r.path}")
def test_api_access(row: Row, world: dict[str, Any]) -> None:
    _check(row, world, for_api=True)
