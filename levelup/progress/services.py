"""Writes of the learner journey: enrollments, item progress, assessments, evidence.

Every change to an item is recorded as a `ProgressEvent` (who, when, from, to), including
the changes the roll-up makes to a topic's subtopics or parent, so the history explains
every status a learner sees. All writes are atomic: a refused request leaves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from levelup.accounts.models import User
from levelup.accounts.services import is_valid_time_zone, profile_update
from levelup.lib.dates import LATEST_DAY, out_of_range_reason
from levelup.lib.errors import Conflict, Invalid, NotFound
from levelup.progress.figures import KNOWN_RATING
from levelup.progress.models import (
    ArchivedItem,
    Assessment,
    ChecklistTick,
    Enrollment,
    EnrollmentStatus,
    EventKind,
    Evidence,
    ItemProgress,
    ItemStatus,
    Pause,
    ProgressEvent,
)
from levelup.progress.versions import ITEM_KEY_USERS, enrollment_upgrade_plan
from levelup.roadmaps.effort import nominal_finish
from levelup.roadmaps.schema import ItemRef, RoadmapDocument
from levelup.roadmaps.selectors import current_document, document_for, item_get

MIN_WEEKLY_HOURS = Decimal("1")
MAX_WEEKLY_HOURS = Decimal("40")
MAX_NOTES_BYTES = 100 * 1024
MAX_PAUSE_REASON = 200
# Pauses one enrollment may hold (docs/security.md, "Bounded work"): a learner stepping
# away twice a year for fifty years stays well inside it, and every computation over
# pauses stays a fixed, small cost.
MAX_PAUSES = 100
STATUSES = tuple(ItemStatus.values)
RATINGS = range(5)
DONE = ItemStatus.DONE.value


class _Unset:
    """Marks an argument the caller did not pass (None is a value: it clears a rating)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


# --------------------------------------------------------------------------------------
# Enrollment
# --------------------------------------------------------------------------------------


def default_weekly_hours(document: RoadmapDocument) -> Decimal:
    """The middle of the roadmap's weekly range (12.5 h for 10-15 h), to one decimal."""
    schedule = document.weekly_schedule
    middle = (Decimal(str(schedule.min_hours)) + Decimal(str(schedule.max_hours))) / 2
    return middle.quantize(Decimal("0.1"))


def _clean_weekly_hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid.for_field("weekly_hours", "must be a number of hours") from exc
    if not MIN_WEEKLY_HOURS <= hours <= MAX_WEEKLY_HOURS:
        raise Invalid.for_field("weekly_hours", "must be between 1 and 40 hours a week")
    return hours


def _clean_study_days(value: Iterable[Any]) -> list[int]:
    days = list(value)
    if not days:
        raise Invalid.for_field("study_days", "choose at least one study day")
    if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days):
        raise Invalid.for_field("study_days", "days are numbers 0 (Monday) to 6 (Sunday)")
    return sorted(set(days))


def _event(
    *,
    enrollment: Enrollment,
    actor: User | None,
    kind: str,
    item_key: str = "",
    from_value: str = "",
    to_value: str = "",
    at: datetime | None = None,
) -> ProgressEvent:
    return ProgressEvent(
        enrollment=enrollment,
        actor=actor,
        item_key=item_key,
        kind=kind,
        from_value=from_value[:200],
        to_value=to_value[:200],
        created_at=at or timezone.now(),
    )


def _clean_day(field: str, value: date | None) -> date | None:
    """``value`` when it lies in the product's range of days, else `Invalid` naming ``field``."""
    if value is None:
        return None
    if not isinstance(value, date):
        raise Invalid.for_field(field, "must be a date (YYYY-MM-DD)")
    problem = out_of_range_reason(value)
    if problem:
        raise Invalid.for_field(field, problem)
    return value


# The longest target a learner may set: twenty years is far beyond any roadmap's pace.
MAX_TARGET_DAYS = 20 * 366


def _clean_target(
    *, start: date, target_finish: date | None, target_months: int | None
) -> date | None:
    """The target finish date from a date or a number of months (None: the roadmap's end)."""
    if target_months is not None:
        if isinstance(target_months, bool) or not 1 <= int(target_months) <= 240:
            raise Invalid.for_field("target_months", "must be a whole number from 1 to 240")
        if target_finish is not None:
            raise Invalid.for_field(
                "target_finish", "give either target_months or target_finish, not both"
            )
        finish = nominal_finish(start, int(target_months))
        if out_of_range_reason(finish):
            raise Invalid.for_field(
                "target_months",
                f"puts the target on {finish.isoformat()}, after {LATEST_DAY.isoformat()}, "
                "the last day this server plans for",
            )
        return finish
    if target_finish is None:
        return None
    _clean_day("target_finish", target_finish)
    if target_finish <= start:
        raise Invalid.for_field(
            "target_finish", f"must be after the start date ({start.isoformat()})"
        )
    if (target_finish - start).days > MAX_TARGET_DAYS:
        raise Invalid.for_field("target_finish", "must be within 20 years of the start date")
    return target_finish


def enrollment_create(
    *,
    user: User,
    roadmap_slug: str,
    start_date: date | None = None,
    weekly_hours: Any = None,
    study_days: Iterable[int] | None = None,
    target_finish: date | None = None,
    target_months: int | None = None,
    time_zone: str | None = None,
    at: datetime | None = None,
) -> Enrollment:
    """Enroll a learner in a roadmap, pinned to its current version.

    The start date may be in the past (learners who are months in already). Weekly hours
    default to the middle of the roadmap's range. The target finish is a date or a number
    of months from the start (default: the roadmap's own end). A time zone, when given,
    becomes the learner's. One open (active or paused) enrollment per roadmap: a second
    one is a Conflict naming the existing one.
    """
    roadmap, document = current_document(roadmap_slug, viewer=user)
    hours = (
        default_weekly_hours(document)
        if weekly_hours is None
        else _clean_weekly_hours(weekly_hours)
    )
    days = _clean_study_days(study_days) if study_days is not None else [0, 1, 2, 3, 4, 5]
    if time_zone is not None and not is_valid_time_zone(time_zone):
        raise Invalid.for_field("time_zone", f"{time_zone!r} is not a known IANA time zone")
    start = _clean_day("start_date", start_date) or user.local_today()
    target = _clean_target(start=start, target_finish=target_finish, target_months=target_months)
    existing = (
        Enrollment.objects.filter(user=user, roadmap=roadmap)
        .exclude(status=EnrollmentStatus.ARCHIVED)
        .first()
    )
    if existing is not None:
        raise Conflict(
            f"already enrolled in {roadmap_slug!r} (enrollment {existing.pk}); "
            "archive it before enrolling again",
            errors=[{"field": "roadmap", "message": "already enrolled in this roadmap"}],
            extra={"enrollment_id": existing.pk},
        )
    try:
        with transaction.atomic():
            assert roadmap.current_version is not None
            enrollment = Enrollment.objects.create(
                user=user,
                roadmap=roadmap,
                version=roadmap.current_version,
                start_date=start,
                target_finish=target,
                weekly_hours=hours,
                study_days=days,
            )
            if time_zone is not None and time_zone != user.time_zone:
                profile_update(user=user, time_zone=time_zone)
            _event(
                enrollment=enrollment,
                actor=user,
                kind=EventKind.ENROLLMENT,
                to_value="enrolled",
                at=at,
            ).save()
    except IntegrityError as exc:
        # Two requests at once: the constraint lets exactly one through.
        raise Conflict(
            f"already enrolled in {roadmap_slug!r}",
            errors=[{"field": "roadmap", "message": "already enrolled in this roadmap"}],
        ) from exc
    return enrollment


class _Keep:
    """The default of an update argument that leaves the field as it is."""


KEEP: Any = _Keep()


def enrollment_update(
    *,
    enrollment: Enrollment,
    start_date: date | None = None,
    weekly_hours: Any = None,
    study_days: Iterable[int] | None = None,
    target_finish: date | None = KEEP,
    target_months: int | None = None,
    time_zone: str | None = None,
) -> Enrollment:
    """Change the start date, weekly hours, study days, target or time zone (only what is
    given). ``target_finish=None`` goes back to the roadmap's own end; ``target_months``
    sets the target that many months after the (new) start date."""
    _require_open(enrollment)
    fields: list[str] = []
    _clean_day("start_date", start_date)
    start = start_date if start_date is not None else enrollment.start_date
    if start_date is not None and start_date != enrollment.start_date:
        first = enrollment.pauses.order_by("start_date").values_list("start_date", flat=True)[:1]
        if first and first[0] < start_date:
            raise Invalid.for_field(
                "start_date",
                f"must be on or before the first pause, which starts on {first[0].isoformat()}; "
                "pauses lie inside the enrollment",
            )
    if target_months is not None or not isinstance(target_finish, _Keep):
        enrollment.target_finish = _clean_target(
            start=start,
            target_finish=None if isinstance(target_finish, _Keep) else target_finish,
            target_months=target_months,
        )
        fields.append("target_finish")
    elif start_date is not None and enrollment.target_finish is not None:
        _clean_target(start=start, target_finish=enrollment.target_finish, target_months=None)
    if time_zone is not None and not is_valid_time_zone(time_zone):
        raise Invalid.for_field("time_zone", f"{time_zone!r} is not a known IANA time zone")
    if start_date is not None:
        enrollment.start_date = start_date
        fields.append("start_date")
    if weekly_hours is not None:
        enrollment.weekly_hours = _clean_weekly_hours(weekly_hours)
        fields.append("weekly_hours")
    if study_days is not None:
        enrollment.study_days = _clean_study_days(study_days)
        fields.append("study_days")
    with transaction.atomic():
        if time_zone is not None and time_zone != enrollment.user.time_zone:
            profile_update(user=enrollment.user, time_zone=time_zone)
        if fields:
            enrollment.save(update_fields=[*fields, "updated_at"])
    return enrollment


def _require_open(enrollment: Enrollment) -> None:
    if enrollment.status == EnrollmentStatus.ARCHIVED:
        raise Conflict("this enrollment is archived; enroll again to start over")


def _covers(pause: Pause, day: date) -> bool:
    """Whether ``pause`` includes ``day`` (an open pause runs until it is resumed)."""
    return pause.start_date <= day and (pause.end_date is None or day <= pause.end_date)


def _describe(pause: Pause) -> str:
    until = f"to {pause.end_date.isoformat()}" if pause.end_date else "until resumed"
    return f"the pause from {pause.start_date.isoformat()} {until}"


def _locked_pauses(enrollment: Enrollment) -> list[Pause]:
    """The enrollment's pauses, oldest first, read under a lock on the enrollment row so
    that two pause requests at once cannot both pass the overlap check."""
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).exists()
    return list(enrollment.pauses.order_by("start_date", "pk"))


def enrollment_pause(
    *,
    enrollment: Enrollment,
    actor: User | None = None,
    reason: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    at: datetime | None = None,
) -> Pause:
    """Record a pause from ``start_date`` (default today) to ``end_date`` (inclusive; empty
    means until `enrollment_resume`). A pause that covers today makes the enrollment paused.

    The rules (docs/progress.md, "Pauses and the enrollment's states"): a pause lies inside
    the enrollment's life (on or after its start date, within the product's range of
    days), never overlaps another pause, and one enrollment holds at most `MAX_PAUSES`.
    Pauses may be recorded after the fact or scheduled ahead. `at` backdates the event
    (demo data); it defaults to now.
    """
    _require_open(enrollment)
    today = enrollment.user.local_today()
    _clean_day("start_date", start_date)
    _clean_day("end_date", end_date)
    start = start_date or today
    if start < enrollment.start_date:
        raise Invalid.for_field(
            "start_date",
            f"must be on or after the enrollment's start date "
            f"({enrollment.start_date.isoformat()})",
        )
    if end_date is not None and end_date < start:
        raise Invalid.for_field("end_date", "must be on or after the start date")
    if not isinstance(reason, str) or len(reason) > MAX_PAUSE_REASON:
        raise Invalid.for_field("reason", f"must be at most {MAX_PAUSE_REASON} characters")
    last = end_date or LATEST_DAY
    with transaction.atomic():
        existing = _locked_pauses(enrollment)
        if len(existing) >= MAX_PAUSES:
            raise Conflict(
                f"this enrollment already has {MAX_PAUSES} pauses, the most one may have",
                errors=[{"field": "start_date", "message": f"at most {MAX_PAUSES} pauses"}],
            )
        for other in existing:
            other_last = other.end_date or LATEST_DAY
            if other.start_date > last or start > other_last:
                continue
            if other.end_date is None and other.start_date <= today:
                raise Conflict(
                    f"this enrollment is already paused (since "
                    f"{other.start_date.isoformat()}); resume it first",
                    errors=[{"field": "start_date", "message": "an open pause exists"}],
                )
            field = "start_date" if other.start_date <= start else "end_date"
            hint = (
                "; end this pause before it, or cancel that one with resume"
                if other.start_date > today
                else ""
            )
            raise Conflict(
                f"overlaps {_describe(other)}; pauses may not overlap{hint}",
                errors=[{"field": field, "message": f"overlaps {_describe(other)}"}],
            )
        pause = Pause.objects.create(
            enrollment=enrollment, start_date=start, end_date=end_date, reason=reason.strip()
        )
        covers_today = _covers(pause, today)
        # The stored status follows the pauses as of today (an earlier dated pause may
        # have ended since it was written).
        now = enrollment.status_on(today, [(p.start_date, p.end_date) for p in (*existing, pause)])
        if enrollment.status != now:
            enrollment.status = now
            enrollment.save(update_fields=["status", "updated_at"])
        _event(
            enrollment=enrollment,
            actor=actor,
            kind=EventKind.ENROLLMENT,
            from_value="active",
            to_value="paused" if covers_today else f"pause from {start.isoformat()}",
            at=at,
        ).save()
    return pause


def enrollment_resume(*, enrollment: Enrollment, actor: User | None = None) -> Enrollment:
    """Come back: end the pause that covers today, or else cancel the next scheduled one.

    The pause covering today ends yesterday (one that began today is withdrawn, it never
    covered a day); later scheduled pauses stay. Without a pause covering today, the
    earliest pause still to come is cancelled. With neither, an enrollment that still
    reads "paused" becomes active; otherwise a Conflict says there is nothing to resume.
    """
    _require_open(enrollment)
    today = enrollment.user.local_today()
    with transaction.atomic():
        pauses = _locked_pauses(enrollment)
        current = next((p for p in pauses if _covers(p, today)), None)
        upcoming = next((p for p in pauses if p.start_date > today), None)
        if current is not None:
            change = ("paused", "active")
            if current.start_date >= today:
                current.delete()
            else:
                current.end_date = today - timedelta(days=1)
                current.save(update_fields=["end_date"])
        elif upcoming is not None:
            change = (f"pause from {upcoming.start_date.isoformat()}", "cancelled")
            upcoming.delete()
        elif enrollment.status == EnrollmentStatus.PAUSED:
            change = ("paused", "active")
        else:
            raise Conflict("this enrollment is not paused and has no pause scheduled")
        if enrollment.status != EnrollmentStatus.ACTIVE:
            enrollment.status = EnrollmentStatus.ACTIVE
            enrollment.save(update_fields=["status", "updated_at"])
        _event(
            enrollment=enrollment,
            actor=actor,
            kind=EventKind.ENROLLMENT,
            from_value=change[0],
            to_value=change[1],
        ).save()
    return enrollment


def enrollment_archive(*, enrollment: Enrollment, actor: User | None = None) -> Enrollment:
    """Close the enrollment for good; its history stays readable and a new one may start.

    Its life ends today: pauses still to come are dropped and a pause running past today
    ends today, so every pause of an archived enrollment lies inside its life.
    """
    _require_open(enrollment)
    today = enrollment.user.local_today()
    with transaction.atomic():
        _locked_pauses(enrollment)
        enrollment.pauses.filter(start_date__gt=today).delete()
        enrollment.pauses.filter(Q(end_date__isnull=True) | Q(end_date__gt=today)).update(
            end_date=today
        )
        previous = enrollment.status
        enrollment.status = EnrollmentStatus.ARCHIVED
        enrollment.save(update_fields=["status", "updated_at"])
        _event(
            enrollment=enrollment,
            actor=actor,
            kind=EventKind.ENROLLMENT,
            from_value=previous,
            to_value="archived",
        ).save()
    return enrollment


# --------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------


@dataclass
class _Change:
    row: ItemProgress
    events: list[ProgressEvent]


def _clean_notes(notes: str) -> str:
    if len(notes.encode("utf-8")) > MAX_NOTES_BYTES:
        raise Invalid.for_field("notes", "must be at most 100 KB")
    return notes


def _clean_status(status: Any) -> str:
    if status not in STATUSES:
        raise Invalid.for_field("status", f"must be one of {', '.join(STATUSES)}")
    return str(status)


def _clean_rating(rating: Any) -> int | None:
    if rating is None:
        return None
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise Invalid.for_field("rating", "must be a whole number from 0 to 4, or empty")
    return rating


def _rows_for_update(enrollment: Enrollment, keys: Iterable[str]) -> dict[str, ItemProgress]:
    """Lock (or create) the progress rows of the given keys, in one query when they exist."""
    wanted = sorted(set(keys))
    rows = {
        row.item_key: row
        # Ordered, so every writer takes row locks in the same (key) order.
        for row in ItemProgress.objects.select_for_update()
        .filter(enrollment=enrollment, item_key__in=wanted)
        .order_by("item_key")
    }
    for key in wanted:
        if key not in rows:
            # Version 0 means "never written"; the first write makes it 1.
            row, _ = ItemProgress.objects.get_or_create(
                enrollment=enrollment, item_key=key, defaults={"version": 0}
            )
            rows[key] = row
    return rows


def _set_status(
    row: ItemProgress,
    status: str,
    *,
    enrollment: Enrollment,
    actor: User | None,
    at: datetime,
    events: list[ProgressEvent],
    remember_previous: bool = False,
) -> bool:
    if row.status == status:
        return False
    events.append(
        _event(
            enrollment=enrollment,
            actor=actor,
            kind=EventKind.STATUS,
            item_key=row.item_key,
            from_value=row.status,
            to_value=status,
            at=at,
        )
    )
    if status == DONE:
        if remember_previous:
            row.previous_status = row.status
        row.completed_at = at
    else:
        row.completed_at = None
        row.previous_status = ""
    if status in (ItemStatus.IN_PROGRESS, DONE) and row.started_at is None:
        row.started_at = at
    row.status = status
    return True


def _roll_up(
    *,
    document: RoadmapDocument,
    enrollment: Enrollment,
    item: ItemRef,
    old_status: str,
    new_status: str,
    actor: User | None,
    at: datetime,
    events: list[ProgressEvent],
) -> list[ItemProgress]:
    """Carry a status change to the topic's subtopics or to the subtopic's topic.

    * topic done: every subtopic that is not done or skipped becomes done, remembering
      the status it had;
    * topic un-done (done to anything else): subtopics go back to the status they had
      before they were ticked (not started when they had none);
    * all subtopics done or skipped (at least one done): the topic becomes done;
    * a subtopic un-done while its topic is done: the topic goes back to in progress;
    * a subtopic started or done while its topic is not started: the topic is in progress.
    """
    changed: list[ItemProgress] = []
    if item.kind == "topic":
        subs = document.subtopic_keys(item.key)
        if not subs:
            return changed
        if new_status == DONE:
            rows = _rows_for_update(enrollment, subs)
            for key in subs:
                row = rows[key]
                if row.status in (DONE, ItemStatus.SKIPPED):
                    continue
                _set_status(
                    row, DONE, enrollment=enrollment, actor=actor, at=at, events=events,
                    remember_previous=True,
                )  # fmt: skip
                changed.append(row)
        elif old_status == DONE:
            done_rows = ItemProgress.objects.select_for_update().filter(
                enrollment=enrollment, item_key__in=subs, status=DONE
            )
            for row in done_rows:
                back = row.previous_status or ItemStatus.NOT_STARTED
                _set_status(row, back, enrollment=enrollment, actor=actor, at=at, events=events)
                changed.append(row)
        return changed
    if item.kind == "subtopic" and item.parent is not None:
        siblings = document.subtopic_keys(item.parent)
        parent = _rows_for_update(enrollment, [item.parent])[item.parent]
        stored = dict(
            ItemProgress.objects.filter(enrollment=enrollment, item_key__in=siblings).values_list(
                "item_key", "status"
            )
        )
        # The changed subtopic is not saved yet: its new status comes from the caller.
        stored[item.key] = new_status
        statuses = [stored.get(k, ItemStatus.NOT_STARTED) for k in siblings]
        if all(s in (DONE, ItemStatus.SKIPPED) for s in statuses) and DONE in statuses:
            target = DONE
        elif (parent.status == DONE and new_status != DONE) or (
            parent.status == ItemStatus.NOT_STARTED and new_status in (DONE, ItemStatus.IN_PROGRESS)
        ):
            target = ItemStatus.IN_PROGRESS
        else:
            if parent.version == 0:
                parent.delete()
            return changed
        if _set_status(parent, target, enrollment=enrollment, actor=actor, at=at, events=events):
            changed.append(parent)
    return changed


def item_update(
    *,
    enrollment: Enrollment,
    actor: User | None,
    item_key: str,
    status: Any = UNSET,
    rating: Any = UNSET,
    notes: Any = UNSET,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> ItemProgress:
    """Change an item's status, rating and/or notes, with the roll-up and an event per change.

    `expected_version` is the version the client read (the API's If-Match): when the row
    moved on since, nothing is written and a Conflict carries the current state, so the
    client can merge and retry without losing either write. `at` backdates the change
    (imports and demo data); it defaults to now.
    """
    _require_open(enrollment)
    document = document_for(enrollment.version)
    item = item_get(document, item_key)
    if status is not UNSET:
        status = _clean_status(status)
    if rating is not UNSET:
        rating = _clean_rating(rating)
    if notes is not UNSET:
        notes = _clean_notes(notes or "")
    if item.kind == "checkpoint" and (status is not UNSET or rating is not UNSET):
        field = "status" if status is not UNSET else "rating"
        raise Invalid.for_field(
            field, "checkpoints are reached through their criteria; add notes or evidence instead"
        )
    when = at or timezone.now()
    events: list[ProgressEvent] = []
    with transaction.atomic():
        # Lock a subtopic's topic together with it, topic first (keys sort that way), the
        # same order a topic's own roll-up takes: concurrent writes queue, never deadlock.
        family = [item_key, item.parent] if item.parent and status is not UNSET else [item_key]
        row = _rows_for_update(enrollment, family)[item_key]
        if expected_version is not None and expected_version != row.version:
            from levelup.progress.selectors import item_state

            raise Conflict(
                f"{item_key!r} changed since version {expected_version}; "
                f"it is now at version {row.version}",
                extra={"current": item_state(enrollment=enrollment, item_key=item_key)},
            )
        touched: list[ItemProgress] = []
        old_status = row.status
        if status is not UNSET and _set_status(
            row, status, enrollment=enrollment, actor=actor, at=when, events=events
        ):
            touched.extend(
                _roll_up(
                    document=document,
                    enrollment=enrollment,
                    item=item,
                    old_status=old_status,
                    new_status=status,
                    actor=actor,
                    at=when,
                    events=events,
                )
            )
        if rating is not UNSET and rating != row.rating:
            events.append(
                _event(
                    enrollment=enrollment,
                    actor=actor,
                    kind=EventKind.RATING,
                    item_key=item_key,
                    from_value="" if row.rating is None else str(row.rating),
                    to_value="" if rating is None else str(rating),
                    at=when,
                )
            )
            row.rating = rating
        if notes is not UNSET and notes != row.notes:
            events.append(
                _event(
                    enrollment=enrollment,
                    actor=actor,
                    kind=EventKind.NOTES,
                    item_key=item_key,
                    from_value=f"{len(row.notes)} characters",
                    to_value=f"{len(notes)} characters",
                    at=when,
                )
            )
            row.notes = notes
        if events:
            for changed in [row, *touched]:
                changed.version += 1
                changed.save()
            ProgressEvent.objects.bulk_create(events)
        # Rows created only to be locked and then left unwritten are not kept.
        ItemProgress.objects.filter(enrollment=enrollment, item_key__in=family, version=0).delete()
    return row


def assessment_submit(
    *,
    enrollment: Enrollment,
    actor: User | None,
    ratings: Mapping[str, Any],
    at: datetime | None = None,
) -> Assessment:
    """Record a self-assessment run (kept as history) and set each topic's rating.

    A rating of 3 or 4 marks the topic as known, which counts as complete. Ratings of
    topics left out keep their current value; every key must be a topic of the roadmap.
    """
    _require_open(enrollment)
    document = document_for(enrollment.version)
    clean: dict[str, int] = {}
    for key, value in ratings.items():
        item = document.items.get(key)
        if item is None:
            raise NotFound(f"no item {key!r} in roadmap {document.slug!r}")
        if item.kind != "topic":
            raise Invalid.for_field(
                f"ratings.{key}", "only topics are rated in the self-assessment"
            )
        if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
            raise Invalid.for_field(f"ratings.{key}", "must be a whole number from 0 to 4")
        clean[key] = value
    when = at or timezone.now()
    with transaction.atomic():
        assessment = Assessment.objects.create(enrollment=enrollment, ratings=clean)
        if at is not None:
            Assessment.objects.filter(pk=assessment.pk).update(created_at=when)
        rows = _rows_for_update(enrollment, clean)
        events = []
        for key, value in clean.items():
            row = rows[key]
            if row.rating == value:
                continue
            events.append(
                _event(
                    enrollment=enrollment,
                    actor=actor,
                    kind=EventKind.RATING,
                    item_key=key,
                    from_value="" if row.rating is None else str(row.rating),
                    to_value=str(value),
                    at=when,
                )
            )
            row.rating = value
            row.version += 1
            row.save()
        for row in rows.values():
            if row.version == 0:
                row.delete()
        ProgressEvent.objects.bulk_create(events)
    return assessment


def is_known(rating: int | None) -> bool:
    return rating is not None and rating >= KNOWN_RATING


# --------------------------------------------------------------------------------------
# Evidence and checklist
# --------------------------------------------------------------------------------------


def _clean_url(field: str, value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid.for_field(field, "a link is required")
        return ""
    scheme = urlsplit(value).scheme.lower()
    if scheme not in ("http", "https"):
        # Refuse javascript:, data:, file: and the rest: these links are shown to mentors.
        raise Invalid.for_field(field, "must be an http:// or https:// link")
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as exc:
        raise Invalid.for_field(field, "is not a valid link") from exc
    if len(value) > 2000:
        raise Invalid.for_field(field, "must be at most 2,000 characters")
    return value


def _evidence_fields(
    *, item_kind: str, title: str, url: str, repository_url: str, writeup: str
) -> dict[str, str]:
    """Evidence's fields cleaned, or `Invalid` naming the first bad one."""
    title = (title or "").strip()
    if not title:
        raise Invalid.for_field("title", "a title is required")
    if len(title) > 200:
        raise Invalid.for_field("title", "must be at most 200 characters")
    is_project = item_kind == "project"
    if not is_project and (repository_url or writeup):
        field = "repository_url" if repository_url else "writeup"
        raise Invalid.for_field(field, "only projects take a repository and a write-up")
    clean_url = _clean_url("url", url, required=not is_project or not repository_url)
    clean_repo = _clean_url("repository_url", repository_url, required=False)
    writeup = writeup or ""
    if len(writeup.encode("utf-8")) > MAX_NOTES_BYTES:
        raise Invalid.for_field("writeup", "must be at most 100 KB")
    return {"title": title, "url": clean_url, "repository_url": clean_repo, "writeup": writeup}


def evidence_add(
    *,
    enrollment: Enrollment,
    actor: User | None,
    item_key: str,
    title: str,
    url: str = "",
    repository_url: str = "",
    writeup: str = "",
    at: datetime | None = None,
) -> Evidence:
    """Attach a titled http(s) link to an item; projects may add a repository and a write-up.

    A project needs a link or a repository URL; other items need a link.
    """
    _require_open(enrollment)
    document = document_for(enrollment.version)
    item = item_get(document, item_key)
    fields = _evidence_fields(
        item_kind=item.kind, title=title, url=url, repository_url=repository_url, writeup=writeup
    )
    when = at or timezone.now()
    with transaction.atomic():
        evidence = Evidence.objects.create(enrollment=enrollment, item_key=item_key, **fields)
        if at is not None:
            Evidence.objects.filter(pk=evidence.pk).update(created_at=when)
            evidence.created_at = when
        _event(
            enrollment=enrollment,
            actor=actor,
            kind=EventKind.EVIDENCE,
            item_key=item_key,
            to_value=fields["title"],
            at=when,
        ).save()
    return evidence


EVIDENCE_FIELDS = ("title", "url", "repository_url", "writeup")


def evidence_update(*, evidence: Evidence, actor: User | None, changes: dict[str, str]) -> Evidence:
    """Change some of a piece of evidence's fields (keys of `changes` among title, url,
    repository_url, writeup); the same rules as `evidence_add`, one event with the titles."""
    unknown = sorted(set(changes) - set(EVIDENCE_FIELDS))
    if unknown:
        raise Invalid.for_field(unknown[0], "cannot be changed")
    enrollment = evidence.enrollment
    _require_open(enrollment)
    item = item_get(document_for(enrollment.version), evidence.item_key)
    merged = {name: changes.get(name, getattr(evidence, name)) for name in EVIDENCE_FIELDS}
    fields = _evidence_fields(item_kind=item.kind, **{k: v or "" for k, v in merged.items()})
    before = evidence.title
    with transaction.atomic():
        for name, value in fields.items():
            setattr(evidence, name, value)
        evidence.save(update_fields=list(EVIDENCE_FIELDS))
        _event(
            enrollment=enrollment,
            actor=actor,
            kind=EventKind.EVIDENCE,
            item_key=evidence.item_key,
            from_value=before,
            to_value=fields["title"],
        ).save()
    return evidence


def evidence_delete(*, evidence: Evidence, actor: User | None) -> None:
    """Remove a piece of evidence; the history keeps an event naming what was removed."""
    enrollment = evidence.enrollment
    _require_open(enrollment)
    with transaction.atomic():
        _event(
            enrollment=enrollment,
            actor=actor,
            kind=EventKind.EVIDENCE,
            item_key=evidence.item_key,
            from_value=evidence.title,
            to_value="",
        ).save()
        evidence.delete()


def checklist_keys(document: RoadmapDocument) -> list[str]:
    return [f"prerequisite:{p.slug}" for p in document.prerequisites] + [
        f"how-to-use:{s.slug}" for s in document.how_to_use
    ]


def checklist_tick(*, enrollment: Enrollment, key: str, ticked: bool = True) -> None:
    """Tick or untick one onboarding step (`prerequisite:<slug>` or `how-to-use:<slug>`)."""
    document = document_for(enrollment.version)
    if key not in checklist_keys(document):
        raise NotFound(f"no onboarding step {key!r} in roadmap {document.slug!r}")
    if ticked:
        ChecklistTick.objects.get_or_create(enrollment=enrollment, key=key)
    else:
        ChecklistTick.objects.filter(enrollment=enrollment, key=key).delete()


# --- moving to a newer roadmap version ----------------------------------------------


@dataclass(frozen=True)
class UpgradeResult:
    version: int
    carried: list[str]
    archived: list[str]
    renames: dict[str, str]


def enrollment_upgrade(*, enrollment: Enrollment, actor: User, version: int) -> UpgradeResult:
    """Move an enrollment to a newer version of its roadmap, keeping everything.

    Statuses, ratings, notes, evidence, events and logged sessions stay on every key
    that still exists, and follow `renamed_from` renames. The state of items the new
    version removed is copied to `ArchivedItem` first. One transaction: a failure
    leaves the enrollment on its old version with nothing changed.
    """
    _require_open(enrollment)
    with transaction.atomic():
        locked = (
            Enrollment.objects.select_for_update()
            .select_related("roadmap", "version", "user")
            .get(pk=enrollment.pk)
        )
        plan = enrollment_upgrade_plan(enrollment=locked, version=version)
        old_document = document_for(locked.version)
        rows = {row.item_key: row for row in ItemProgress.objects.filter(enrollment=locked)}
        # Two old items merged into one (b says renamed_from a, and b existed): b keeps
        # its own state and a's state goes to the archive rather than being overwritten.
        for old, new in list(plan.renames.items()):
            if old in rows and new in rows:
                del plan.renames[old]
                plan.archived.append(old)
        evidence: dict[str, list[dict[str, str]]] = {}
        for item in Evidence.objects.filter(enrollment=locked, item_key__in=plan.archived):
            evidence.setdefault(item.item_key, []).append(
                {
                    "title": item.title,
                    "url": item.url,
                    "repository_url": item.repository_url,
                    "writeup": item.writeup,
                    "created_at": item.created_at.isoformat(),
                }
            )
        archived = []
        for key in plan.archived:
            row = rows.get(key)
            ref = old_document.items.get(key)
            archived.append(
                ArchivedItem(
                    enrollment=locked,
                    item_key=key,
                    title=ref.title if ref else key,
                    from_version=locked.version.number,
                    to_version=plan.target.number,
                    status=row.status if row else ItemStatus.NOT_STARTED,
                    rating=row.rating if row else None,
                    notes=row.notes if row else "",
                    evidence=evidence.get(key, []),
                    logged_minutes=plan.logged_minutes.get(key, 0),
                )
            )
        ArchivedItem.objects.bulk_create(archived)
        # The live state of a removed item is in the archive now; its evidence rows
        # and events stay where they are, as history.
        ItemProgress.objects.filter(enrollment=locked, item_key__in=plan.archived).delete()
        for old, new in plan.renames.items():
            ItemProgress.objects.filter(enrollment=locked, item_key=old).update(item_key=new)
            Evidence.objects.filter(enrollment=locked, item_key=old).update(item_key=new)
            ProgressEvent.objects.filter(enrollment=locked, item_key=old).update(item_key=new)
        if plan.renames:
            for user in ITEM_KEY_USERS:
                user.move(locked, plan.renames)
        _event(
            enrollment=locked,
            actor=actor,
            kind=EventKind.ENROLLMENT,
            from_value=f"version {locked.version.number}",
            to_value=f"version {plan.target.number}",
        ).save()
        locked.version = plan.target
        locked.save(update_fields=["version", "updated_at"])
    enrollment.version = plan.target
    return UpgradeResult(
        version=plan.target.number,
        carried=plan.carried,
        archived=plan.archived,
        renames=plan.renames,
    )
