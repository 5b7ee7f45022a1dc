"""Two writers at the same moment with the same version: one wins, the other gets a Conflict.

Needs a database with real row locks between connections (PostgreSQL); on SQLite the test
database lives in one connection's memory and the sequential API test covers the rule.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import connection, connections

from levelup.accounts.models import User
from levelup.lib.errors import Conflict
from levelup.progress import services
from levelup.progress.models import ItemProgress, ProgressEvent
from levelup.roadmaps.services import roadmap_load_file
from tests.progress.conftest import TINY

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"
)


def test_simultaneous_writes_with_the_same_version_one_wins_and_nothing_is_lost(
    transactional_db: Any, make_user: Any
) -> None:
    roadmap_load_file(path=TINY)
    alice: User = make_user("alice")
    enrollment = services.enrollment_create(
        user=alice, roadmap_slug="tiny", start_date=date(2026, 1, 1)
    )
    services.item_update(enrollment=enrollment, actor=alice, item_key="topic:alpha", notes="v1")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(text: str) -> None:
        try:
            barrier.wait()
            services.item_update(
                enrollment=enrollment,
                actor=alice,
                item_key="topic:alpha",
                notes=text,
                expected_version=1,
            )
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append(f"conflict at {exc.extra['current']['version']}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(t,)) for t in ("laptop", "phone")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict at 2", "won"]
    row = ItemProgress.objects.get(item_key="topic:alpha")
    assert row.version == 2 and row.notes in ("laptop", "phone")
    assert ProgressEvent.objects.filter(kind="notes").count() == 2  # v1, then the winner
