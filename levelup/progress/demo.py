"""`levelup demo`: a learner called `demo`, seven months into the built-in roadmap.

The history is made through the same services a learner uses (backdated with `at=`), so
every status has its events, the roll-up ran, and the dashboard reads as it would for a
real learner: slightly behind, a known topic from the self-assessment, a two-week
holiday, notes and evidence. A fixed random seed makes it the same every time.

Other apps add their own data by providing `levelup.<app>.demo.extend(enrollment)`;
`demo_create` calls each one that exists, in `EXTENSIONS` order, after the progress
history is in place.
"""

from __future__ import annotations

import importlib
import random
import secrets
from datetime import date, datetime, time, timedelta

from django.db import transaction

from levelup.accounts.models import User
from levelup.progress import services
from levelup.progress.models import Enrollment
from levelup.roadmaps.effort import DAYS_PER_MONTH
from levelup.roadmaps.selectors import current_document
from levelup.roadmaps.services import BUILTIN_SLUG, builtin_roadmaps_load

DEMO_USERNAME = "demo"
DEMO_MONTHS = 7
SEED = 7
# Apps that extend the demo; a missing module is skipped.
EXTENSIONS = (
    "levelup.journal.demo",
    "levelup.planning.demo",
    "levelup.checkpoints.demo",
    "levelup.resources.demo",
    "levelup.portfolio.demo",
)

NOTES = [
    "## What clicked\n\nWriting it out by hand made the difference. Next: redo the exercises "
    "without looking.",
    "Read the official docs end to end. Key idea: *measure first*, then optimise.\n\n"
    "- revisit the edge cases\n- ask in the community channel",
    "Struggled with this one. Pairing with a colleague on Friday helped a lot.",
    "Summary for future me:\n\n1. understand the model\n2. build something small\n"
    "3. explain it to someone",
]


def _at(day: date, zone: object, rng: random.Random) -> datetime:
    """An evening study time on that day, in the learner's zone."""
    return datetime.combine(day, time(18 + rng.randint(0, 3), rng.randint(0, 59)), tzinfo=zone)  # type: ignore[arg-type]


def _day(start: date, month: float) -> date:
    return start + timedelta(days=round(month * DAYS_PER_MONTH))


def _run_extensions(enrollment: Enrollment) -> None:
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise  # the module exists but something it imports is missing: say so
            continue
        extend = getattr(module, "extend", None)
        if callable(extend):
            extend(enrollment)


def demo_create(*, today: date | None = None) -> str:
    """(Re)create the `demo` learner with seven months of history; return its password.

    Idempotent: an existing `demo` user and everything it owns is deleted first.
    """
    builtin_roadmaps_load()
    roadmap, document = current_document(BUILTIN_SLUG)
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not secrets
    password = secrets.token_urlsafe(9)
    with transaction.atomic():
        User.objects.filter(username=DEMO_USERNAME).delete()
        user = User.objects.create_user(
            username=DEMO_USERNAME,
            email="demo@example.com",
            password=password,
            display_name="Demo Learner",
            time_zone="Europe/Berlin",
        )
        zone = user.zone
        today = today or user.local_today()
        # Well into month seven: the dashboard says "month 7 of 24".
        start = today - timedelta(days=round((DEMO_MONTHS - 0.4) * DAYS_PER_MONTH))
        enrollment = services.enrollment_create(
            user=user,
            roadmap_slug=roadmap.slug,
            start_date=start,
            weekly_hours=12,
            study_days=[0, 1, 2, 3, 5],
            at=_at(start, zone, rng),
        )
        for key in services.checklist_keys(document):
            services.checklist_tick(enrollment=enrollment, key=key)

        # Day one: the self-assessment. One topic already known, the rest rated low.
        ratings = {}
        for item in document.items.values():
            if item.kind == "topic" and item.month_start <= 12:
                ratings[item.key] = rng.choice([0, 0, 1, 1, 2])
        first_topic = next(i for i in document.items.values() if i.kind == "topic")
        known = min(
            (i for i in document.items.values() if i.kind == "topic"), key=lambda i: i.month_end
        )
        ratings[known.key] = 3
        services.assessment_submit(
            enrollment=enrollment, actor=user, ratings=ratings, at=_at(start, zone, rng)
        )

        # A two-week holiday in month four.
        holiday = _day(start, 3.4)
        services.enrollment_pause(
            enrollment=enrollment,
            actor=user,
            reason="Family holiday",
            start_date=holiday,
            end_date=holiday + timedelta(days=13),
            at=_at(holiday - timedelta(days=3), zone, rng),
        )

        # Work through the items whose windows have begun, about 10% slower than nominal.
        pace = 1.1
        for item in sorted(document.items.values(), key=lambda i: (i.month_start, i.month_end)):
            if item.kind not in ("topic", "project") or item.key == known.key:
                continue
            begin = (item.month_start - 1) * pace
            end = item.month_end * pace
            if _day(start, begin) >= today:
                continue
            services.item_update(
                enrollment=enrollment,
                actor=user,
                item_key=item.key,
                status="in_progress",
                at=_at(_day(start, begin + rng.uniform(0, 0.3)), zone, rng),
            )
            subs = document.subtopic_keys(item.key)
            for index, sub in enumerate(subs):
                when = _day(start, begin + (end - begin) * (index + 1) / (len(subs) + 0.5))
                if when >= today:
                    break
                services.item_update(
                    enrollment=enrollment,
                    actor=user,
                    item_key=sub,
                    status="done",
                    at=_at(when, zone, rng),
                )
            finish = _day(start, end)
            if item.kind == "project" and finish < today:
                services.item_update(
                    enrollment=enrollment,
                    actor=user,
                    item_key=item.key,
                    status="done",
                    at=_at(finish, zone, rng),
                )
                services.evidence_add(
                    enrollment=enrollment,
                    actor=user,
                    item_key=item.key,
                    title=f"{item.title}: source and write-up",
                    repository_url=f"https://example.com/demo/{item.key.removeprefix('project:')}",
                    writeup="Built over a few weekends. What I would do differently: start "
                    "with the tests.",
                    at=_at(finish, zone, rng),
                )
            if rng.random() < 0.6:
                services.item_update(
                    enrollment=enrollment,
                    actor=user,
                    item_key=item.key,
                    notes=rng.choice(NOTES),
                    rating=min(4, (ratings.get(item.key) or 0) + rng.randint(1, 2)),
                    at=_at(min(today - timedelta(days=1), _day(start, end)), zone, rng),
                )
        services.evidence_add(
            enrollment=enrollment,
            actor=user,
            item_key=first_topic.key,
            title="My notes on the fundamentals",
            url="https://example.com/demo/blog/fundamentals",
            at=_at(_day(start, 2.2), zone, rng),
        )
        _run_extensions(enrollment)
    return password
