"""Benchmark: the weekly review and the 12-week chart for a learner with two years of sessions.

Standalone: `python bench/journal.py [--sessions N] [--runs N]`. It builds a throw-away
test database (SQLite in a temporary data directory, or a `test_…` database beside the
one DATABASE_URL names), loads the built-in roadmap (or tests/fixtures/tiny.yaml while
that does not exist), fills it, measures, and drops it again. Prints median and p95
server time and the query count of each operation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levelup.settings")
os.environ.setdefault("LEVELUP_DATA_DIR", tempfile.mkdtemp(prefix="levelup-bench-"))
os.environ.setdefault("LEVELUP_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(label: str, runs: int, call) -> tuple[str, float, float, int]:
    call()  # warm caches (parsed roadmap document, templates)
    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    return label, statistics.median(timings), percentile(timings, 0.95), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sessions", type=int, default=3300, help="sessions over two years (≥ 3000)"
    )
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # A database of its own, so a test run using test_<name> at the same time is untouched.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_{old_name}_journal_bench"
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.sessions, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    del test_name


def run(total_sessions: int, runs: int) -> None:
    from levelup.accounts.models import User
    from levelup.accounts.tokens import api_token_create
    from levelup.journal import selectors
    from levelup.journal.charts import weekly_chart_svg
    from levelup.journal.models import PracticeProblem, StudySession
    from levelup.journal.validation import category_slugs, document_of, session_fingerprint
    from levelup.progress.models import Enrollment, Pause
    from levelup.roadmaps.services import roadmap_load_file

    builtin = ROOT / "levelup" / "roadmaps" / "builtin" / "backend-junior-to-senior.yaml"
    source = builtin if builtin.exists() else ROOT / "tests" / "fixtures" / "tiny.yaml"
    roadmap = roadmap_load_file(path=source).roadmap
    user = User.objects.create_user(username="bench", time_zone="Europe/Berlin", week_start=0)
    enrollment = Enrollment.objects.create(
        user=user,
        roadmap=roadmap,
        version=roadmap.current_version,
        start_date=dt.date.today() - dt.timedelta(days=730),
        weekly_hours=Decimal("12"),
        study_days=[0, 1, 2, 3, 4, 5, 6],
    )
    enrollment = Enrollment.objects.select_related("user", "version", "roadmap").get(
        pk=enrollment.pk
    )
    document = document_of(enrollment)
    categories = category_slugs(document)
    items = [key for key in document.items if not key.startswith("checkpoint:")]
    rng = random.Random(7)
    today = user.local_today()
    first = today - dt.timedelta(days=729)
    sessions = []
    for n in range(total_sessions):
        day = first + dt.timedelta(days=n * 730 // total_sessions)
        session = StudySession(
            enrollment=enrollment,
            date=day,
            start_time=dt.time(rng.randrange(6, 22), 0),
            minutes=rng.choice([30, 45, 60, 90, 120]),
            category=rng.choice(categories),
            item_key=rng.choice(items) if rng.random() < 0.7 else "",
            note="",
        )
        session.fingerprint = session_fingerprint(
            date=session.date,
            start_time=session.start_time,
            minutes=session.minutes,
            category=session.category,
            item_key=session.item_key,
            note=session.note,
        )
        sessions.append(session)
    StudySession.objects.bulk_create(sessions, batch_size=1000)
    PracticeProblem.objects.bulk_create(
        PracticeProblem(
            enrollment=enrollment,
            date=first + dt.timedelta(days=n * 2),
            platform="leetcode",
            title=f"Problem {n}",
            difficulty="medium",
            outcome="solved",
        )
        for n in range(365)
    )
    Pause.objects.create(
        enrollment=enrollment,
        start_date=first + dt.timedelta(days=200),
        end_date=first + dt.timedelta(days=214),
    )
    Pause.objects.create(
        enrollment=enrollment,
        start_date=first + dt.timedelta(days=500),
        end_date=first + dt.timedelta(days=507),
    )

    weeks = [(first + dt.timedelta(days=rng.randrange(0, 730))).isoformat() for _ in range(runs)]
    cycle = itertools.cycle(weeks)
    client = Client()
    token = api_token_create(user=user, name="bench", can_write=False).secret
    url = f"/api/v1/enrollments/{enrollment.pk}/weekly-review"

    results = [
        measure(
            "weekly review (selector)",
            runs,
            lambda: selectors.weekly_review(enrollment, next(cycle)),
        ),
        measure(
            "12-week chart (data + SVG)",
            runs,
            lambda: weekly_chart_svg(selectors.weekly_chart_data(enrollment, next(cycle))),
        ),
        measure(
            "GET weekly-review (HTTP, token)",
            runs,
            lambda: client.get(
                url, {"week": next(cycle)}, headers={"Authorization": f"Bearer {token}"}
            ),
        ),
    ]
    print(
        f"journal bench: {StudySession.objects.count()} sessions over two years, "
        f"{PracticeProblem.objects.count()} practice problems, roadmap {source.name}, "
        f"database {connection.vendor}, {runs} runs each"
    )
    print(f"{'operation':34} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for label, median, p95, queries in results:
        print(f"{label:34} {median:10.2f} {p95:10.2f} {queries:8d}")


if __name__ == "__main__":
    main()
