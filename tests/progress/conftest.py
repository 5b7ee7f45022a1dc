"""Fixtures for the learner journey: a tiny roadmap and alice enrolled in it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.progress.models import Enrollment
from levelup.progress.services import enrollment_create
from levelup.roadmaps.selectors import current_document
from levelup.roadmaps.services import roadmap_load_file

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"


@pytest.fixture
def tiny(db: Any) -> Any:
    """The tiny test roadmap (2 phases, 2 topics, 3 subtopics, 1 project, 1 checkpoint)."""
    roadmap_load_file(path=TINY)
    return current_document("tiny")


@pytest.fixture
def enrollment(tiny: Any, alice: User) -> Enrollment:
    """Alice, enrolled in the tiny roadmap since 1 January 2026."""
    return enrollment_create(user=alice, roadmap_slug="tiny", start_date=date(2026, 1, 1))
