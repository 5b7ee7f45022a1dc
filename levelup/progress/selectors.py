"""Reads of the learner journey. Everything a page or endpoint shows comes from here.

`dashboard_for` runs a fixed number of queries whatever the size of the roadmap or the
history: item states in one query, recent events in one, the heatmap as one aggregate,
pauses and evidence counts in one each.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, DateField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from levelup.accounts.models import User
from levelup.lib import rows
from levelup.lib.errors import NotFound
from levelup.progress import figures
from levelup.progress.figures import State
from levelup.progress.models import (
    ChecklistTick,
    Enrollment,
    EnrollmentStatus,
    Evidence,
    ItemProgress,
    Pause,
    ProgressEvent,
)
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.schema import RoadmapDocument
from levelup.roadmaps.selectors import document_for, item_get

RECENT_EVENTS = 10
HEATMAP_DAYS = 371  # 53 whole weeks, so the grid always starts on the week's first day


def enrollment_list(*, user: User) -> QuerySet[Enrollment]:
    """The user's enrollments, newest first, with what their summaries need."""
    # The version's document is parsed once per process (`document_for`, by content
    # hash); fetching and decoding it again on every request cost more than the rest.
    return (
        Enrollment.objects.filter(user=user)
        .select_related("roadmap", "version", "user")
        .defer("version__document")
    )


def default_enrollment(*, user: User) -> Enrollment | None:
    """The enrollment pages open when none is named: the newest one not archived."""
    return (
        enrollment_list(user=user).exclude(status="archived").order_by("-created_at", "-id").first()
    )


@dataclass(frozen=True)
class PauseState:
    """An enrollment's pauses as the settings page shows them (one query).

    ``current`` covers today; ``upcoming`` is the earliest pause still to come (the one
    resume cancels when no pause covers today).
    """

    pauses: list[Pause]
    current: Pause | None
    upcoming: Pause | None
    status: str


def pause_state(enrollment: Enrollment, today: date | None = None) -> PauseState:
    """The enrollment's pauses, the one covering today and the next one scheduled."""
    today = today or enrollment.user.local_today()
    pauses = list(enrollment.pauses.order_by("start_date", "pk"))
    current = next(
        (p for p in pauses if p.start_date <= today and (p.end_date or today) >= today), None
    )
    upcoming = next((p for p in pauses if p.start_date > today), None)
    status = enrollment.status_on(today, ((p.start_date, p.end_date) for p in pauses))
    return PauseState(pauses=pauses, current=current, upcoming=upcoming, status=status)


ENROLLMENT_COLUMNS = rows.Columns(Enrollment, "e")
ROADMAP_COLUMNS = rows.Columns(Roadmap, "r")
VERSION_COLUMNS = rows.Columns(RoadmapVersion, "v", without=("document",))


@functools.cache
def _enrollment_get_sql(using: str = "default") -> str:
    """Every enrollment-scoped request starts here, so the statement is written out once
    (the ORM took longer to build it than the database to answer). Identifiers only,
    from the models; the ids are parameters."""
    enrollment, roadmap = rows.table(Enrollment, using), rows.table(Roadmap, using)
    version = rows.table(RoadmapVersion, using)
    e_roadmap, e_version = (rows.column(Enrollment, n, using) for n in ("roadmap", "version"))
    e_pk, e_user = rows.column(Enrollment, "id", using), rows.column(Enrollment, "user", using)
    r_pk, v_pk = rows.column(Roadmap, "id", using), rows.column(RoadmapVersion, "id", using)
    columns = (c.sql(using) for c in (ENROLLMENT_COLUMNS, ROADMAP_COLUMNS, VERSION_COLUMNS))
    return (
        f"SELECT {', '.join(columns)} FROM {enrollment} e"  # noqa: S608
        f" JOIN {roadmap} r ON r.{r_pk} = e.{e_roadmap}"
        f" JOIN {version} v ON v.{v_pk} = e.{e_version}"
        f" WHERE e.{e_pk} = %s AND e.{e_user} = %s"
    )


def enrollment_get(*, user: User, enrollment_id: int) -> Enrollment:
    """One of the user's own enrollments, with its roadmap, version (the document is
    parsed once per process, by `document_for`) and user, in one query; anyone else's
    (staff included) is NotFound."""
    found = rows.fetch(_enrollment_get_sql(), [enrollment_id, user.pk])
    if not found:
        raise NotFound(f"no enrollment {enrollment_id}")
    enrollment, roadmap, version = rows.instances(
        found[0], ENROLLMENT_COLUMNS, ROADMAP_COLUMNS, VERSION_COLUMNS
    )
    enrollment.roadmap, enrollment.version, enrollment.user = roadmap, version, user
    return enrollment


def evidence_get_for_user(*, user: User, enrollment_id: int, evidence_id: int) -> Evidence:
    """One piece of evidence of one of the user's own enrollments; anyone else's (staff
    included) is NotFound, like the enrollment itself."""
    evidence = (
        Evidence.objects.select_related("enrollment__version", "enrollment__user")
        .defer("enrollment__version__document")
        .filter(pk=evidence_id, enrollment_id=enrollment_id, enrollment__user_id=user.pk)
        .first()
    )
    if evidence is None:
        raise NotFound(f"no evidence {evidence_id} in enrollment {enrollment_id}")
    return evidence


def open_enrollment(*, user: User, roadmap: Roadmap | None = None) -> Enrollment | None:
    """The user's newest active or paused enrollment (in a roadmap, when given)."""
    if not user.is_authenticated:
        return None
    qs = enrollment_list(user=user).exclude(status=EnrollmentStatus.ARCHIVED)
    if roadmap is not None:
        qs = qs.filter(roadmap=roadmap)
    return qs.first()


def document_of(enrollment: Enrollment) -> RoadmapDocument:
    return document_for(enrollment.version)


def states_for(enrollment: Enrollment) -> dict[str, State]:
    """Every stored item state of the enrollment, in one query."""
    return {
        key: State(status=status, rating=rating)
        for key, status, rating in ItemProgress.objects.filter(enrollment=enrollment).values_list(
            "item_key", "status", "rating"
        )
    }


def _row_out(item_key: str, row: ItemProgress | None) -> dict[str, Any]:
    state = State(status=row.status, rating=row.rating) if row else None
    return {
        "item_key": item_key,
        "status": row.status if row else "not_started",
        "rating": row.rating if row else None,
        "known": figures.effective_state(state) == "known",
        "state": figures.effective_state(state),
        "notes": row.notes if row else "",
        "version": row.version if row else 0,
        "started_at": row.started_at if row else None,
        "completed_at": row.completed_at if row else None,
        "updated_at": row.updated_at if row else None,
    }


def item_state(*, enrollment: Enrollment, item_key: str) -> dict[str, Any]:
    """One item's state as plain data; an item never touched is version 0, not started."""
    item_get(document_of(enrollment), item_key)
    row = ItemProgress.objects.filter(enrollment=enrollment, item_key=item_key).first()
    data = _row_out(item_key, row)
    # JSON-friendly for the 409 body, which is built outside the schema layer.
    for field in ("started_at", "completed_at", "updated_at"):
        if data[field] is not None:
            data[field] = data[field].isoformat()
    return data


def item_detail_for(*, enrollment: Enrollment, item_key: str) -> dict[str, Any]:
    """An item's state with its evidence, history, and its subtopics' states for a topic."""
    document = document_of(enrollment)
    item = item_get(document, item_key)
    subs = document.subtopic_keys(item_key) if item.kind == "topic" else ()
    rows = {
        row.item_key: row
        for row in ItemProgress.objects.filter(
            enrollment=enrollment, item_key__in=[item_key, *subs]
        )
    }
    return {
        "item": item,
        "state": _row_out(item_key, rows.get(item_key)),
        "subtopics": [
            {"key": k, "title": document.items[k].title, **_row_out(k, rows.get(k))} for k in subs
        ],
        "evidence": list(Evidence.objects.filter(enrollment=enrollment, item_key=item_key)),
        "history": list(
            ProgressEvent.objects.filter(enrollment=enrollment, item_key=item_key).select_related(
                "actor"
            )[:100]
        ),
        "parent": document.items[item.parent] if item.parent else None,
    }


def events_for(enrollment: Enrollment) -> QuerySet[ProgressEvent]:
    return ProgressEvent.objects.filter(enrollment=enrollment).select_related("actor")


def progress_for(enrollment: Enrollment) -> dict[str, Any]:
    """Overall, per phase, per section and project progress, weighted by effort."""
    return figures.progress(document_of(enrollment), states_for(enrollment))


@lru_cache(maxsize=64)
def _offset_changes(zone: ZoneInfo, since: datetime) -> tuple[tuple[datetime, timedelta], ...]:
    """The zone's UTC offsets from `since` on: (first naive-UTC instant, offset) per stretch."""

    def offset(utc: datetime) -> timedelta:
        return utc.replace(tzinfo=UTC).astimezone(zone).utcoffset() or timedelta(0)

    day = since.astimezone(UTC).replace(tzinfo=None)
    stretches = [(day, offset(day))]
    step = timedelta(minutes=15)
    for _ in range(HEATMAP_DAYS + 2):
        following = day + timedelta(days=1)
        if offset(following) != stretches[-1][1]:
            moment = day
            while moment < following and offset(moment) == stretches[-1][1]:
                moment += step
            stretches.append((moment, offset(moment)))
        day = following
    return tuple(stretches)


def _local_date(zone: ZoneInfo, since: datetime) -> Any:
    """The event's date in the learner's zone, computed by the database.

    PostgreSQL converts time zones natively. SQLite has no zone support, and Django's
    per-row Python fallback costs ~25 µs an event; instead the few UTC-offset stretches
    of the year (DST changes) become one CASE over SQLite's own date() function.
    """
    if connection.vendor != "sqlite":
        return TruncDate("created_at", tzinfo=zone)
    stretches = _offset_changes(zone, since)
    whens: list[str] = []
    params: list[Any] = []
    for (_, offset), (until, _) in pairwise(stretches):
        whens.append("WHEN created_at < %s THEN date(created_at, %s)")
        params += [
            until.strftime("%Y-%m-%d %H:%M:%S"),
            f"{offset.total_seconds() / 60:+.0f} minutes",
        ]
    last = stretches[-1][1]
    sql = (
        "CASE " + " ".join(whens) + " ELSE date(created_at, %s) END"
        if whens
        else "date(created_at, %s)"
    )
    params.append(f"{last.total_seconds() / 60:+.0f} minutes")
    # Only fixed SQL text here; the instants and offsets travel as parameters.
    return RawSQL(sql, params, output_field=DateField())  # noqa: S611


def changes_per_day(*, enrollment: Enrollment, user: User, since: date) -> dict[date, int]:
    """Progress events per local day from ``since`` on (one aggregate query)."""
    moment = datetime.combine(since, time.min, tzinfo=user.zone)
    return {
        row["day"]: row["n"]
        for row in ProgressEvent.objects.filter(enrollment=enrollment, created_at__gte=moment)
        .annotate(day=_local_date(user.zone, moment))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    }


def recent_events(enrollment: Enrollment, limit: int) -> list[ProgressEvent]:
    """The enrollment's newest events, the fields an activity line shows (one query)."""
    return list(
        ProgressEvent.objects.filter(enrollment=enrollment).only(
            "enrollment_id", "kind", "item_key", "from_value", "to_value", "created_at"
        )[:limit]
    )


def evidence_counts(enrollment: Enrollment) -> dict[str, int]:
    """Pieces of evidence per item key (one aggregate query)."""
    return {
        row["item_key"]: row["n"]
        for row in Evidence.objects.filter(enrollment=enrollment)
        .values("item_key")
        .annotate(n=Count("id"))
        .order_by()
    }


def assessment_phases(enrollment: Enrollment) -> list[dict[str, Any]]:
    """The self-assessment, one entry per phase with its topics and current ratings."""
    document = document_of(enrollment)
    states = states_for(enrollment)
    phases = []
    for index, phase in enumerate(document.phases, start=1):
        topics = [
            {
                "key": f"topic:{topic.slug}",
                "title": topic.title,
                "section": section.title,
                "rating": states.get(f"topic:{topic.slug}", figures.NOT_STARTED).rating,
            }
            for section in phase.sections
            for topic in section.topics
        ]
        phases.append({"number": index, "slug": phase.slug, "title": phase.title, "topics": topics})
    return phases


def checklist_for(enrollment: Enrollment) -> list[dict[str, Any]]:
    """The onboarding checklist: the roadmap's prerequisites and how-to-use steps."""
    document = document_of(enrollment)
    ticked = set(ChecklistTick.objects.filter(enrollment=enrollment).values_list("key", flat=True))
    steps: list[dict[str, Any]] = [
        {"key": f"prerequisite:{p.slug}", "group": "Before you start", "text": p.text}
        for p in document.prerequisites
    ] + [
        {"key": f"how-to-use:{s.slug}", "group": "How to use the roadmap", "text": s.text}
        for s in document.how_to_use
    ]
    for step in steps:
        step["ticked"] = step["key"] in ticked
    return steps


def learner_states_for(*, user: User, roadmap: Roadmap) -> dict[str, Any] | None:
    """For the roadmap page: the signed-in learner's open enrollment and every item's state.

    Returns None for anonymous users and for users not enrolled in this roadmap.
    """
    enrollment = open_enrollment(user=user, roadmap=roadmap)
    if enrollment is None:
        return None
    rows = ItemProgress.objects.filter(enrollment=enrollment).values_list(
        "item_key", "status", "rating", "notes", "version"
    )
    states: dict[str, Any] = {
        key: {
            "status": status,
            "rating": rating,
            "notes": notes,
            "version": version,
            "state": figures.effective_state(State(status=status, rating=rating)),
        }
        for key, status, rating, notes, version in rows
    }
    return {"enrollment": enrollment, "states": states}
