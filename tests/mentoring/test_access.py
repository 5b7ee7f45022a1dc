"""The access matrix: every mentoring route, for every role. Outsiders get 404.

Roles: the owner (alice, a learner), the owner's mentor (carol), an unrelated mentor
(dave, who mentors bob), a lead of alice's team (lena, not her mentor), a member of
that team (mia), another learner (bob), anonymous, and staff.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from levelup.mentoring import services

pytestmark = pytest.mark.django_db

ROLES = ("owner", "mentor", "unrelated_mentor", "lead", "member", "other", "anonymous", "staff")


@pytest.fixture
def world(
    alice: Any,
    bob: Any,
    carol: Any,
    dave: Any,
    lena: Any,
    mia: Any,
    staff: Any,
    enrollment: Any,
    mentorship: Any,
    team: Any,
    review: Any,
) -> dict[str, Any]:
    services.review_claim(review_id=review.pk, mentor=carol)
    services.review_decide(
        review_id=review.pk,
        mentor=carol,
        decision="approved",
        criteria=[{"slug": "built", "rating": 3}, {"slug": "taught", "rating": None}],
        base_url="http://testserver",
    )
    review.refresh_from_db()
    return {
        "users": {
            "owner": alice,
            "mentor": carol,
            "unrelated_mentor": dave,
            "lead": lena,
            "member": mia,
            "other": bob,
            "anonymous": None,
            "staff": staff,
        },
        "alice": alice.pk,
        "enrollment": enrollment.pk,
        "review": review.pk,
        "credential": str(review.credential.pk),
        "team": team.pk,
        "mentorship": mentorship.pk,
    }


def _expect(default: int, anonymous: int, **overrides: int) -> dict[str, int]:
    table = {role: default for role in ROLES}
    table["anonymous"] = anonymous
    table.update(overrides)
    return table


LOGIN = 302
# (method, path template, expected status per role)
WEB = [
    ("get", "/mentoring/", _expect(200, LOGIN)),
    ("get", "/mentoring/sharing/", _expect(200, LOGIN)),
    ("get", "/inbox/", _expect(200, LOGIN)),
    ("get", "/teams/", _expect(200, LOGIN)),
    ("get", "/mentees/{alice}/", _expect(404, LOGIN, mentor=200)),
    ("get", "/enrollments/{enrollment}/checkpoints/", _expect(404, LOGIN, owner=200)),
    (
        "get",
        "/enrollments/{enrollment}/checkpoints/month-4/review/",
        _expect(404, LOGIN, owner=200),
    ),
    ("get", "/reviews/{review}/", _expect(404, LOGIN, owner=200, mentor=200)),
    ("get", "/reviews/{review}/credential.json", _expect(404, LOGIN, owner=200, mentor=200)),
    ("post", "/reviews/{review}/comment/", _expect(404, LOGIN, owner=302, mentor=302)),
    ("post", "/reviews/{review}/claim/", _expect(404, LOGIN, owner=403, mentor=409)),
    ("post", "/reviews/{review}/decision/", _expect(404, LOGIN, owner=403, mentor=409)),
    ("post", "/reviews/{review}/revoke/", _expect(404, LOGIN, owner=302)),
    (
        "post",
        "/mentoring/mentorships/{mentorship}/end/",
        _expect(404, LOGIN, owner=302, mentor=302),
    ),
    ("get", "/teams/{team}/", _expect(404, LOGIN, lead=200, owner=200, member=200)),
    ("post", "/teams/{team}/members/", _expect(404, LOGIN, lead=302, owner=302, member=302)),
    ("get", "/credentials/{credential}/", _expect(200, 200)),
    ("get", "/credentials/verify/", _expect(200, 200)),
]

API = [
    ("get", "/api/v1/mentees", _expect(200, 401)),
    ("get", "/api/v1/mentorships", _expect(200, 401)),
    ("get", "/api/v1/inbox", _expect(200, 401)),
    ("get", "/api/v1/teams", _expect(200, 401)),
    ("get", "/api/v1/enrollments/{enrollment}/reviews", _expect(404, 401, owner=200)),
    (
        "post",
        "/api/v1/enrollments/{enrollment}/checkpoints/month-4/reviews",
        _expect(404, 401, owner=409),
    ),
    ("get", "/api/v1/reviews/{review}", _expect(404, 401, owner=200, mentor=200)),
    ("get", "/api/v1/reviews/{review}/credential", _expect(404, 401, owner=200, mentor=200)),
    ("post", "/api/v1/reviews/{review}/claim", _expect(404, 401, owner=403, mentor=409)),
    ("post", "/api/v1/reviews/{review}/comments", _expect(404, 401, owner=201, mentor=201)),
    ("post", "/api/v1/reviews/{review}/decision", _expect(404, 401, owner=403, mentor=409)),
    ("post", "/api/v1/reviews/{review}/credential/revoke", _expect(404, 401, owner=200)),
    ("delete", "/api/v1/mentorships/{mentorship}", _expect(404, 401, owner=204, mentor=204)),
    ("get", "/api/v1/teams/{team}", _expect(404, 401, lead=200, owner=200, member=200)),
    ("post", "/api/v1/teams/{team}/members", _expect(404, 401, lead=201, owner=403, member=403)),
    (
        "post",
        "/api/v1/teams/{team}/assignments",
        _expect(404, 401, lead=200, owner=403, member=403),
    ),
    (
        "post",
        "/api/v1/teams/{team}/lead-mentor",
        _expect(404, 401, owner=201, member=201, lead=422),
    ),
    ("get", "/api/v1/credentials/verify?id={credential}", _expect(200, 200)),
    ("get", "/api/v1/issuer", _expect(200, 200)),
    ("get", "/api/v1/issuer/jwks", _expect(200, 200)),
]

BODIES = {
    "/comment/": {"body": "hello"},
    "/comments": {"body": "hello"},
    "/decision": {"decision": "approved", "criteria": []},
    "/members": {"username": "bob"},
    "/assignments": {"roadmap": "tiny"},
    "/lead-mentor": {"lead": "lena"},
    "/reviews": {"criteria": [{"slug": "built", "rating": 2}, {"slug": "taught", "rating": 2}]},
}


def _body(path: str) -> dict[str, Any]:
    return next(
        (b for suffix, b in BODIES.items() if path.rstrip("/").endswith(suffix.rstrip("/"))), {}
    )


def _each_role(
    world: dict[str, Any], make_client: Any, method: str, path: str, expected: dict[str, int]
) -> None:
    """Call the route as every role, each in a transaction rolled back afterwards, so one
    role's write (ending a mentorship, revoking) never changes what the next one sees."""
    wrong = []
    for role in ROLES:
        with transaction.atomic():
            client = make_client(world["users"][role])
            if method == "post":
                response = client.post(path, _body(path))
            else:
                response = getattr(client, method)(path)
            status = response.status_code
            if status == 404 and path.startswith("/api/"):
                assert "detail" in response.json()
            if status == LOGIN and role == "anonymous":
                assert "/accounts/login/" in response["Location"]
            transaction.set_rollback(True)
        if status != expected[role]:
            wrong.append(f"{role}: {status}, expected {expected[role]}")
    assert not wrong, f"{method} {path}: " + "; ".join(wrong)


@pytest.mark.parametrize(
    ("method", "template", "expected"), WEB, ids=[f"{m} {p}" for m, p, _ in WEB]
)
def test_web_route(
    world: dict[str, Any], web_for: Any, method: str, template: str, expected: dict[str, int]
) -> None:
    _each_role(world, web_for, method, template.format(**world), expected)


@pytest.mark.parametrize(
    ("method", "template", "expected"), API, ids=[f"{m} {p}" for m, p, _ in API]
)
def test_api_route(
    world: dict[str, Any], api_for: Any, method: str, template: str, expected: dict[str, int]
) -> None:
    _each_role(world, api_for, method, template.format(**world), expected)


def test_a_mentor_sees_nothing_after_the_mentorship_ends(
    world: dict[str, Any], api_for: Any, web_for: Any
) -> None:
    carol = world["users"]["mentor"]
    assert (
        api_for(world["users"]["owner"])
        .delete(f"/api/v1/mentorships/{world['mentorship']}")
        .status_code
        == 204
    )
    assert api_for(carol).get(f"/api/v1/reviews/{world['review']}").status_code == 404
    assert web_for(carol).get(f"/mentees/{world['alice']}/").status_code == 404
