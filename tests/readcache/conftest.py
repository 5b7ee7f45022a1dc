"""Alice enrolled in the tiny roadmap, with a few rows of history."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.progress.models import Enrollment
from levelup.progress.services import enrollment_create
from levelup.roadmaps.services import roadmap_load_file

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"


@pytest.fixture
def enrollment(db: Any, alice: User) -> Enrollment:
    roadmap_load_file(path=TINY)
    return enrollment_create(
        user=alice, roadmap_slug="tiny", start_date=date.today() - timedelta(days=60)
    )
