"""Journal fixtures: a small roadmap with a practice target, enrollments made directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from levelup.accounts.models import User
from levelup.progress.models import Enrollment
from levelup.roadmaps.models import Roadmap
from levelup.roadmaps.services import roadmap_load

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny.yaml"


def tiny_data(**schedule: Any) -> dict[str, Any]:
    data = yaml.safe_load(TINY.read_text())
    data["weekly_schedule"].update(schedule)
    return data


@pytest.fixture
def roadmap(db: Any) -> Roadmap:
    """tiny.yaml with 3–4 practice problems a week. Schedule (minutes): theory 120–180,
    projects 60–120, review 60–60; total 240–360."""
    return roadmap_load(data=tiny_data(practice_problems_min=3, practice_problems_max=4)).roadmap


@pytest.fixture
def other_roadmap(db: Any) -> Roadmap:
    """A second roadmap whose items are not in `roadmap` (topic:gamma)."""
    data = tiny_data()
    data["slug"] = "other"
    data["phases"][0]["sections"][0]["topics"][0]["slug"] = "gamma"
    data["projects"][0]["related_topics"] = ["gamma"]
    data["phases"][1]["sections"][0]["topics"][0]["prerequisites"] = ["topic:gamma"]
    return roadmap_load(data=data).roadmap


@pytest.fixture
def enroll(roadmap: Roadmap) -> Callable[..., Enrollment]:
    def make(user: User, *, on: Roadmap | None = None, **fields: Any) -> Enrollment:
        target = on or roadmap
        fields.setdefault("start_date", dt.date(2026, 1, 5))
        fields.setdefault("weekly_hours", Decimal("5"))
        fields.setdefault("study_days", [0, 1, 2, 3, 4, 5, 6])
        enrollment = Enrollment.objects.create(
            user=user, roadmap=target, version=target.current_version, **fields
        )
        # Reload the way the selectors do, so tests see the same related objects.
        return Enrollment.objects.select_related("user", "version", "roadmap").get(pk=enrollment.pk)

    return make


@pytest.fixture
def mine(alice: User, enroll: Callable[..., Enrollment]) -> Enrollment:
    """Alice's enrollment (Europe/Berlin, week starts Monday)."""
    return enroll(alice)
