"""Fixtures for mentoring: alice (learner) enrolled in the tiny roadmap, carol her mentor,
dave a mentor of bob only (unrelated to alice), lena leads a team alice is in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.mentoring import services
from levelup.mentoring.models import CheckpointReview, Mentorship, Team
from levelup.progress.models import Enrollment
from levelup.progress.services import enrollment_create
from levelup.roadmaps.services import roadmap_load_file

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"


@pytest.fixture(autouse=True)
def signing_key_dir(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each test session signs with a key of its own in a temporary data directory."""
    from levelup.mentoring import signing

    data_dir = tmp_path_factory.getbasetemp() / "signing"
    data_dir.mkdir(exist_ok=True)
    settings.DATA_DIR = data_dir
    signing._key_for.cache_clear()
    return data_dir


@pytest.fixture
def tiny(db: Any) -> Any:
    roadmap_load_file(path=TINY)


@pytest.fixture
def enrollment(tiny: Any, alice: User) -> Enrollment:
    return enrollment_create(user=alice, roadmap_slug="tiny", start_date=date(2026, 1, 1))


@pytest.fixture
def carol(make_user: Callable[..., User]) -> User:
    return make_user("carol", display_name="Carol")


@pytest.fixture
def dave(make_user: Callable[..., User], bob: User) -> User:
    dave = make_user("dave", display_name="Dave")
    _invitation, code = services.invitation_create(learner=bob)
    services.invitation_accept(mentor=dave, code=code)
    return dave


@pytest.fixture
def mentorship(alice: User, carol: User) -> Mentorship:
    _, code = services.invitation_create(learner=alice)
    return services.invitation_accept(mentor=carol, code=code)


@pytest.fixture
def lena(make_user: Callable[..., User]) -> User:
    return make_user("lena", display_name="Lena")


@pytest.fixture
def mia(make_user: Callable[..., User]) -> User:
    return make_user("mia", display_name="Mia")


@pytest.fixture
def team(lena: User, alice: User, mia: User) -> Team:
    """Lena leads; alice and mia are members."""
    team = services.team_create(lead=lena, name="Backend guild")
    services.team_member_add(team_id=team.pk, lead=lena, username="alice")
    services.team_member_add(team_id=team.pk, lead=lena, username="mia")
    return team


SELF = [{"slug": "built", "rating": 3, "note": "shipped it"}, {"slug": "taught", "rating": 2}]


@pytest.fixture
def review(enrollment: Enrollment, alice: User, mentorship: Mentorship) -> CheckpointReview:
    return services.review_submit(
        enrollment=enrollment,
        actor=alice,
        checkpoint_slug="month-4",
        criteria=SELF,
        evidence=[{"title": "Talk slides", "url": "https://example.com/slides"}],
    )
