"""100,000 learners on PostgreSQL: fill a database with histories, then time the main
endpoints at 1,000 and at 100,000 learners.

    createdb -h 127.0.0.1 -U postgres levelup_big
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/levelup_big \\
        .venv/bin/python bench/scale.py [--sizes 1000,100000] [--samples 60] [--rounds 3]
    .venv/bin/python bench/scale.py --generate-only --sizes 100000   # just fill

The database must exist and is migrated here. Learners are added with COPY in batches,
in one transaction per batch, until there are as many as the next size; then the
benchmark runs, then the next size is filled. Each learner (`scale-NNNNNN`) has an
account (one shared Argon2 hash: hashing 100,000 passwords would take an hour), one
enrollment begun 1–730 days ago (85 % active, 10 % paused, 5 % archived), item progress
in roadmap order in proportion to their time enrolled and their diligence, a status event
per change, and study sessions on about half of the days since they enrolled for diligent
learners, far fewer for the rest: about 30 million rows at 100,000 learners... with the
defaults here about 9 million (see `--sessions-per-week`).

The benchmark signs `--samples` random active learners in with fresh API tokens and,
`--rounds` times, for each: GET the dashboard API, GET the plan API, POST a study
session (which changes both, so the next round recomputes them). Times are server time
through Django's test client in this process, without HTTP, so they measure the
application and the database, not the network. Prints p50/p95 per endpoint and the
ratio of p95 at each size to p95 at the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 10_000
TIME_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "America/Sao_Paulo")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def copy_rows(cursor: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY rows (attname → Python value) into the model's table; every concrete field
    not given takes its Django default, JSON fields are sent as JSON text."""
    from django.db import models

    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    # Django's default for each field ("" for text, None where nullable), computed once.
    defaults = {f.attname: f.get_default() for f in fields}
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for f in fields:
                value = row[f.attname] if f.attname in row else defaults[f.attname]
                if isinstance(f, models.JSONField):
                    value = json.dumps(value)
                values.append(value)
            copy.write_row(values)


def reset_sequences(cursor: Any, models_: list[Any]) -> None:
    for model in models_:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )


# Histories are generated inside PostgreSQL from each enrollment's start date and a
# per-learner diligence in [0, 1) derived from its id (skewed low: most learners are
# part-timers), so that 100,000 learners take minutes, not the hour row-by-row Python
# would. Item progress runs in roadmap order as far as time and diligence carried the
# learner; every change has its event; sessions fall on random days since enrolling.
DILIGENCE = "power(((abs(hashtext(e.id::text)) %% 1000) / 1000.0)::float8, 1.5)"
ITEMS_SQL = f"""
INSERT INTO progress_itemprogress (enrollment_id, item_key, status, rating, notes, notes_shared,
    version, previous_status, started_at, completed_at, updated_at)
SELECT x.id, x.key, CASE WHEN x.done THEN 'done' ELSE 'in_progress' END, NULL, '', FALSE,
    CASE WHEN x.done THEN 3 ELSE 2 END,
    CASE WHEN x.done THEN 'in_progress' ELSE 'not_started' END,
    x.started, CASE WHEN x.done THEN LEAST(now(), x.started + (1 + x.ord %% 20) * interval '1 day') END,
    now()
FROM (
    SELECT e.id, k.key, k.ord, (k.ord <= r.reached - 2 OR k.ord %% 3 = 0) AS done,
        e.created_at + (r.days * (k.ord - 1) / GREATEST(1, r.reached)) * interval '1 day' AS started
    FROM progress_enrollment e
    CROSS JOIN LATERAL (
        SELECT current_date - e.start_date AS days,
            LEAST(%(n)s, floor(%(n)s * (current_date - e.start_date) / 730.0 * {DILIGENCE} * 1.6))::int
                AS reached
    ) r
    JOIN unnest(%(keys)s::text[]) WITH ORDINALITY AS k(key, ord) ON k.ord <= r.reached
    WHERE e.id BETWEEN %(lo)s AND %(hi)s
) x
"""
EVENTS_SQL = """
INSERT INTO progress_progressevent (enrollment_id, actor_id, item_key, kind, from_value,
    to_value, created_at)
SELECT e.id, e.user_id, '', 'enrollment', '', 'enrolled', e.created_at
FROM progress_enrollment e WHERE e.id BETWEEN %(lo)s AND %(hi)s
UNION ALL
SELECT i.enrollment_id, e.user_id, i.item_key, 'status', 'not_started', 'in_progress', i.started_at
FROM progress_itemprogress i JOIN progress_enrollment e ON e.id = i.enrollment_id
WHERE i.enrollment_id BETWEEN %(lo)s AND %(hi)s
UNION ALL
SELECT i.enrollment_id, e.user_id, i.item_key, 'status', 'in_progress', 'done', i.completed_at
FROM progress_itemprogress i JOIN progress_enrollment e ON e.id = i.enrollment_id
WHERE i.enrollment_id BETWEEN %(lo)s AND %(hi)s AND i.completed_at IS NOT NULL
"""
SESSIONS_SQL = f"""
INSERT INTO journal_studysession (enrollment_id, date, start_time, minutes, category, item_key,
    note, fingerprint, idempotency_key, request_fingerprint, created_at, updated_at)
SELECT s.id, s.date, s.start_time, s.minutes, s.category, s.item_key, s.note,
    encode(sha256(convert_to(concat_ws(chr(31), s.date::text, to_char(s.start_time, 'HH24:MI'),
        s.minutes::text, s.category, s.item_key, s.note), 'UTF8')), 'hex'),
    '', '', now(), now()
FROM (
    SELECT e.id,
        current_date - floor(random() * GREATEST(1, r.days))::int AS date,
        make_time(6 + floor(random() * 16)::int, 15 * floor(random() * 4)::int, 0) AS start_time,
        (ARRAY[20, 30, 45, 60, 90])[1 + floor(random() * 5)::int] AS minutes,
        (%(categories)s::text[])[1 + floor(random() * %(ncat)s)::int] AS category,
        CASE WHEN random() < 0.5
            THEN (%(keys)s::text[])[1 + floor(random() * GREATEST(1, r.reached))::int]
            ELSE '' END AS item_key,
        's' || g AS note
    FROM progress_enrollment e
    CROSS JOIN LATERAL (
        SELECT current_date - e.start_date AS days, {DILIGENCE} AS d,
            LEAST(%(n)s, floor(%(n)s * (current_date - e.start_date) / 730.0 * {DILIGENCE} * 1.6))::int
                AS reached
    ) r
    CROSS JOIN LATERAL generate_series(1, floor(r.days / 7.0 * %(per_week)s * r.d * 2)::int) g
    WHERE e.id BETWEEN %(lo)s AND %(hi)s
) s
"""


def generate(upto: int, *, sessions_per_week: float, seed: int) -> float:
    """Add learners until there are `upto`; return the seconds it took."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from levelup.accounts.models import User
    from levelup.journal.models import StudySession
    from levelup.progress.models import Enrollment, ItemProgress, ProgressEvent
    from levelup.roadmaps.models import Roadmap
    from levelup.roadmaps.selectors import document_for
    from levelup.roadmaps.services import BUILTIN_SLUG

    have = User.objects.filter(username__startswith="scale-").count()
    if have >= upto:
        return 0.0
    began = time.perf_counter()
    roadmap = Roadmap.objects.get(slug=BUILTIN_SLUG)
    version = roadmap.current_version
    document = document_for(version)
    order = [k for k, item in document.items.items() if item.kind in ("topic", "subtopic")]
    order += [k for k, item in document.items.items() if item.kind == "project"]
    categories = [c.slug for c in document.weekly_schedule.categories]
    password = make_password("scale-password-123")
    now = timezone.now()
    today = dt.date.today()

    def next_id(model: Any) -> int:
        with connection.cursor() as c:
            c.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
            return int(c.fetchone()[0]) + 1

    for start in range(have, upto, BATCH):
        stop = min(upto, start + BATCH)
        rng = random.Random(seed * 1_000_003 + start)
        users, enrollments = [], []
        user_id, enrollment_id = next_id(User), next_id(Enrollment)
        first_enrollment = enrollment_id
        for n in range(start, stop):
            joined_days = rng.randint(1, 730)
            joined = now - dt.timedelta(days=joined_days, minutes=rng.randint(0, 1439))
            users.append(
                {
                    "id": user_id,
                    "username": f"scale-{n:06d}",
                    "email": f"scale-{n:06d}@example.com",
                    "password": password,
                    "is_active": True,
                    "date_joined": joined,
                    "time_zone": rng.choice(TIME_ZONES),
                }
            )
            roll = rng.random()
            enrollments.append(
                {
                    "id": enrollment_id,
                    "user_id": user_id,
                    "roadmap_id": roadmap.pk,
                    "version_id": version.pk,
                    "start_date": today - dt.timedelta(days=joined_days),
                    "weekly_hours": rng.choice((5, 8, 10, 12.5, 15)),
                    "status": "active" if roll < 0.85 else "paused" if roll < 0.95 else "archived",
                    "created_at": joined,
                    "updated_at": joined,
                }
            )
            user_id += 1
            enrollment_id += 1
        params = {
            "lo": first_enrollment,
            "hi": enrollment_id - 1,
            "n": len(order),
            "keys": order,
            "categories": categories,
            "ncat": len(categories),
            "per_week": sessions_per_week,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            # Bulk loading as a replica: no per-row triggers (the read cache's stamps start
            # empty, which is correct for data no answer was cached from; foreign keys are
            # right by construction). Needs a superuser; otherwise the triggers run.
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
            copy_rows(cursor.cursor, User, users)
            copy_rows(cursor.cursor, Enrollment, enrollments)
            cursor.execute(ITEMS_SQL, params)
            items = cursor.rowcount
            cursor.execute(EVENTS_SQL, params)
            events = cursor.rowcount
            cursor.execute(SESSIONS_SQL, params)
            sessions = cursor.rowcount
            reset_sequences(cursor, [User, Enrollment, ItemProgress, ProgressEvent, StudySession])
        print(
            f"  learners {stop:>7,}: +{items:,} item rows, +{events:,} events, "
            f"+{sessions:,} sessions  ({time.perf_counter() - began:.0f} s)",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - began


@dataclass
class Sample:
    chosen: list[Any]
    tokens: list[str]
    categories: list[str]


def prepare(samples: int) -> Sample:
    """`samples` random active learners of this database, each with a fresh write token."""
    from levelup.accounts.tokens import api_token_create
    from levelup.progress.models import Enrollment
    from levelup.roadmaps.selectors import document_for

    chosen = list(
        Enrollment.objects.filter(status="active", user__username__startswith="scale-")
        .select_related("user", "version")
        .order_by("?")[:samples]
    )
    categories = [c.slug for c in document_for(chosen[0].version).weekly_schedule.categories]
    tokens = [
        api_token_create(user=e.user, name="scale bench", can_write=True).secret for e in chosen
    ]
    return Sample(chosen, tokens, categories)


def one_round(sample: Sample, times: dict[str, list[float]], rng: random.Random) -> None:
    """For each learner: GET the dashboard, GET the plan, POST a session."""
    from django.test import Client

    client = Client()
    for enrollment, token in zip(sample.chosen, sample.tokens, strict=True):
        headers = {"Authorization": f"Bearer {token}"}
        base = f"/api/v1/enrollments/{enrollment.pk}"
        for name, call in (
            ("GET dashboard API", lambda: client.get(f"{base}/dashboard", headers=headers)),
            ("GET plan API", lambda: client.get(f"{base}/plan", headers=headers)),
            (
                "POST session",
                lambda: client.post(
                    f"{base}/sessions",
                    {"minutes": 30, "category": rng.choice(sample.categories)},
                    content_type="application/json",
                    headers=headers,
                ),
            ),
        ):
            began = time.perf_counter()
            response = call()
            times.setdefault(name, []).append(time.perf_counter() - began)
            assert response.status_code in (200, 201), (name, response.content[:300])


def bench(samples: int, rounds: int, seed: int) -> dict[str, list[float]]:
    rng = random.Random(seed)
    sample = prepare(samples)
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        one_round(sample, times, rng)
    return times


def use_database(url: str) -> None:
    """Point the default connection at another database (same server, same schema)."""
    import dj_database_url
    from django.core.cache import cache
    from django.db import connection

    connection.close()
    parsed = dj_database_url.parse(url)
    for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
        connection.settings_dict[key] = parsed.get(key) or connection.settings_dict.get(key)
    cache.clear()  # the two databases' ids overlap; never answer one from the other


def interleaved(small_url: str, samples: int, rounds: int, seed: int) -> None:
    """The same requests against the small database and DATABASE_URL, round by round
    in turn, so both see the same machine load."""
    big_url = os.environ["DATABASE_URL"]
    sizes, prepared = {}, {}
    from levelup.accounts.models import User

    for label, url in (("small", small_url), ("big", big_url)):
        use_database(url)
        sizes[label] = User.objects.filter(username__startswith="scale-").count()
        prepared[label] = prepare(samples)
    results: dict[str, dict[str, list[float]]] = {"small": {}, "big": {}}
    rng = random.Random(seed)
    for _ in range(rounds):
        for label, url in (("small", small_url), ("big", big_url)):
            use_database(url)
            one_round(prepared[label], results[label], rng)
    for label in ("small", "big"):
        report(f"{sizes[label]:,} learners", samples, rounds, results[label])
    print(f"p95 at {sizes['big']:,} ÷ p95 at {sizes['small']:,} learners (interleaved rounds):")
    for name, values in results["big"].items():
        ratio = percentile(values, 0.95) / percentile(results["small"][name], 0.95)
        median = statistics.median(values) / statistics.median(results["small"][name])
        print(f"  {name:<20} p95 {ratio:5.2f}×   p50 {median:5.2f}×")


def report(title: str, samples: int, rounds: int, times: dict[str, list[float]]) -> None:
    print(f"{title}, {samples} learners × {rounds} rounds:")
    for name, values in times.items():
        ms = [v * 1000 for v in values]
        print(
            f"  {name:<20} p50 {statistics.median(ms):7.1f} ms   "
            f"p95 {percentile(ms, 0.95):7.1f} ms   (n={len(ms)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sessions-per-week", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--interleave",
        metavar="SMALL_DATABASE_URL",
        help="no filling: time this (smaller) database and DATABASE_URL in alternate rounds",
    )
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to an existing PostgreSQL database (it gets filled)")
    os.environ.setdefault("LEVELUP_DATA_DIR", tempfile.mkdtemp(prefix="levelup-scale-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levelup.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["LEVELUP_DEBUG"] = "0"  # DEBUG would keep every query in memory
    import django

    django.setup()
    from django.core.management import call_command

    from levelup.roadmaps.services import builtin_roadmaps_load

    call_command("migrate", verbosity=0)
    builtin_roadmaps_load()

    if options.interleave:
        use_database(options.interleave)
        call_command("migrate", verbosity=0)
        use_database(os.environ["DATABASE_URL"])
        interleaved(options.interleave, options.samples, options.rounds, options.seed)
        return
    sizes = [int(s) for s in options.sizes.split(",") if s.strip()]
    results: list[tuple[int, dict[str, list[float]]]] = []
    for size in sizes:
        print(f"filling to {size:,} learners", flush=True)
        took = generate(size, sessions_per_week=options.sessions_per_week, seed=options.seed)
        print(f"  ({took:.0f} s)")
        if options.generate_only:
            continue
        times = bench(options.samples, options.rounds, options.seed + size)
        results.append((size, times))
        report(f"{size:,} learners", options.samples, options.rounds, times)
    if len(results) > 1:
        first_size, first = results[0]
        for size, times in results[1:]:
            print(f"p95 at {size:,} ÷ p95 at {first_size:,} learners:")
            for name, values in times.items():
                ratio = percentile(values, 0.95) / percentile(first[name], 0.95)
                print(f"  {name:<20} {ratio:5.2f}×")


if __name__ == "__main__":
    main()
