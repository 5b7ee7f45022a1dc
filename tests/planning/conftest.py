"""Fixtures for the Django side of the planner: alice enrolled in the built-in roadmap."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.journal.models import StudySession
from levelup.progress.models import Enrollment
from levelup.progress.services import enrollment_create
from levelup.roadmaps.services import BUILTIN_SLUG

# A Monday; alice's weeks start on Monday (the default).
START = date(2026, 1, 5)


@pytest.fixture
def enrollment(builtin: Any, alice: User) -> Enrollment:
    """Alice in the built-in roadmap from Monday 5 January 2026 at 12.5 h a week."""
    return enrollment_create(
        user=alice, roadmap_slug=BUILTIN_SLUG, start_date=START, weekly_hours="12.5"
    )


@pytest.fixture
def bob_enrollment(builtin: Any, bob: User) -> Enrollment:
    return enrollment_create(user=bob, roadmap_slug=BUILTIN_SLUG, start_date=START)


@pytest.fixture
def log_session() -> Callable[..., StudySession]:
    """Write a study session directly (the journal's services are tested elsewhere)."""

    def make(
        enrollment: Enrollment,
        day: date,
        minutes: int,
        item_key: str = "",
        category: str = "theory",
    ) -> StudySession:
        return StudySession.objects.create(
            enrollment=enrollment,
            date=day,
            minutes=minutes,
            category=category,
            item_key=item_key,
            fingerprint=hashlib.sha256(
                f"{day}-{minutes}-{item_key}-{StudySession.objects.count()}".encode()
            ).hexdigest(),
        )

    return make
