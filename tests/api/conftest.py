"""A learner with an enrollment and some of everything, for tests that throw input at
the whole API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.accounts.tokens import api_token_create
from levelup.journal import services as journal
from levelup.progress import services as progress
from levelup.progress.models import Enrollment
from levelup.roadmaps.services import BUILTIN_SLUG


@dataclass
class Learner:
    user: User
    token: str
    enrollment: Enrollment
    item_key: str
    session_id: int
    entry_id: int
    problem_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def learner(builtin: Any, make_user: Any) -> Learner:
    _roadmap, document = builtin
    user = make_user("hana", time_zone="Europe/Berlin")
    enrollment = progress.enrollment_create(
        user=user, roadmap_slug=BUILTIN_SLUG, start_date=dt.date(2026, 1, 5), weekly_hours=12
    )
    item_key = f"topic:{next(iter(document.topics))}"
    progress.item_update(enrollment=enrollment, actor=user, item_key=item_key, status="in_progress")
    category = document.weekly_schedule.categories[0].slug
    session = journal.study_session_log(
        enrollment=enrollment, minutes=45, category=category, date=dt.date(2026, 1, 6)
    ).session
    entry = journal.journal_entry_create(
        enrollment=enrollment, title="Joins", body="Hash joins first.", tags=["sql"]
    )
    problem = journal.practice_problem_log(
        enrollment=enrollment,
        platform="leetcode",
        title="Two Sum",
        difficulty="easy",
        outcome="solved",
        minutes=20,
    )
    issued = api_token_create(user=user, name="probe", can_write=True)
    return Learner(
        user=user,
        token=issued.secret,
        enrollment=enrollment,
        item_key=item_key,
        session_id=session.pk,
        entry_id=entry.pk,
        problem_id=problem.pk,
    )
