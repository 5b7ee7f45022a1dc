"""Benchmark: the dashboard of a learner with two years of history.

    .venv/bin/python bench/dashboard.py [--runs 50] [--events 6000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/levelup .venv/bin/python bench/dashboard.py

Sets Django up by itself in a temporary data directory (SQLite) or, with DATABASE_URL, in
a throwaway test database on that server (created and dropped here). Loads the built-in
roadmap, builds a learner enrolled two years ago with item states and at least 5,000
events spread over those two years, then times, N times each: the `dashboard_for`
selector alone, the dashboard page (selector + template, through the test client) and
the API endpoint. Prints median and 95th percentile server time and the query count.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--events", type=int, default=6000)
    args = parser.parse_args()

    os.environ.setdefault("LEVELUP_DATA_DIR", tempfile.mkdtemp(prefix="levelup-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levelup.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:
        # Never write into the real database: a test database on the same server.
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        run(args.runs, args.events, connection)
    finally:
        if postgres:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def run(runs: int, n_events: int, connection: object) -> None:
    from django.test import Client
    from django.utils import timezone

    from levelup.accounts.models import User
    from levelup.accounts.tokens import api_token_create
    from levelup.dashboard.selectors import dashboard_for
    from levelup.progress.models import Evidence, ItemProgress, ProgressEvent
    from levelup.progress.selectors import enrollment_get
    from levelup.progress.services import enrollment_create
    from levelup.roadmaps.selectors import current_document
    from levelup.roadmaps.services import BUILTIN_SLUG, builtin_roadmaps_load

    builtin_roadmaps_load()
    _, document = current_document(BUILTIN_SLUG)
    rng = random.Random(42)
    user = User.objects.create_user(
        username="bench", password="bench-password-123", time_zone="Europe/Berlin"
    )
    today = user.local_today()
    enrollment = enrollment_create(
        user=user, roadmap_slug=BUILTIN_SLUG, start_date=today - timedelta(days=730)
    )
    keys = [k for k, item in document.items.items() if item.kind != "checkpoint"]
    statuses = ["done"] * 6 + ["in_progress", "skipped", "not_started"]
    ItemProgress.objects.bulk_create(
        ItemProgress(
            enrollment=enrollment,
            item_key=key,
            status=rng.choice(statuses),
            rating=rng.choice([None, 1, 2, 3, 4]),
            notes="Some notes " * rng.randint(0, 50),
            version=rng.randint(1, 20),
        )
        for key in keys
    )
    now = timezone.now()
    kinds = ["status", "status", "rating", "notes", "evidence"]
    ProgressEvent.objects.bulk_create(
        (
            ProgressEvent(
                enrollment=enrollment,
                actor=user,
                item_key=rng.choice(keys),
                kind=rng.choice(kinds),
                from_value="not_started",
                to_value="in_progress",
                created_at=now - timedelta(minutes=rng.randint(0, 730 * 24 * 60)),
            )
            for _ in range(n_events)
        ),
        batch_size=1000,
    )
    Evidence.objects.bulk_create(
        Evidence(
            enrollment=enrollment,
            item_key=rng.choice(keys),
            title="proof",
            url="https://example.com/p",
        )
        for _ in range(60)
    )
    events = ProgressEvent.objects.filter(enrollment=enrollment).count()

    web = Client()
    web.force_login(user)
    token = api_token_create(user=user, name="bench", can_write=False).secret
    api = Client(headers={"Authorization": f"Bearer {token}"})
    page_url = "/dashboard/"
    api_url = f"/api/v1/enrollments/{enrollment.pk}/dashboard"

    def selector() -> None:
        fresh = enrollment_get(user=user, enrollment_id=enrollment.pk)
        dashboard_for(fresh, today)

    def page() -> None:
        response = web.get(page_url)
        assert response.status_code == 200, response.status_code

    def endpoint() -> None:
        response = api.get(api_url)
        assert response.status_code == 200, response.content[:200]

    vendor = connection.vendor  # type: ignore[attr-defined]
    print(
        f"levelup dashboard benchmark · {vendor} · {len(keys)} items · "
        f"{events} events over two years"
    )
    print(f"{'what':<28}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, fn in (
        ("dashboard_for (selector)", selector),
        ("GET /dashboard/ (page)", page),
        ("GET …/dashboard (API)", endpoint),
    ):
        fn()  # warm caches (parsed document, templates)
        # Count with an execute wrapper: the test client's request_started signal clears
        # connection.queries, so CaptureQueriesContext would see none of a request's.
        counted: list[str] = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: counted.append(sql) or execute(sql, *rest)
        ):  # type: ignore[attr-defined]
            fn()
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - began) * 1000)
        print(
            f"{name:<28}{statistics.median(timings):>10.1f}{percentile(timings, 0.95):>10.1f}"
            f"{len(counted):>9}"
        )
    print(f"({runs} runs each; started {datetime.now():%Y-%m-%d %H:%M})")


if __name__ == "__main__":
    main()
