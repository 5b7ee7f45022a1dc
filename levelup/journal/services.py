"""Writes for the study journal: sessions, practice problems, journal entries, CSV import.

Every write validates all of its fields first and raises `Invalid` listing each
bad field by name; nothing is written unless everything is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from levelup.journal import validation as v
from levelup.journal.csvio import ParsedRow, parse_sessions_csv
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.lib.errors import Conflict, Invalid
from levelup.progress.models import Enrollment

SESSION_FIELDS = ("date", "start_time", "minutes", "category", "item_key", "note")
IDEMPOTENCY_KEY_MAX = 255


def _raise_if(errors: list[dict[str, str]]) -> None:
    if errors:
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        raise Invalid(summary, errors=errors)


def _session_errors(
    *,
    enrollment: Enrollment,
    date: dt.date,
    minutes: int,
    category: str,
    item_key: str,
    note: str,
    start_time: dt.time | None = None,
) -> list[dict[str, str]]:
    document = v.document_of(enrollment)
    checks = {
        "date": v.check_enrollment_date(date, enrollment),
        "start_time": v.check_start_time(start_time),
        "minutes": v.check_minutes(minutes),
        "category": v.check_category(category, document),
        "item_key": v.check_item_key(item_key, document),
        "note": v.check_text(note, v.NOTE_MAX),
    }
    return [{"field": field, "message": message} for field, message in checks.items() if message]


def _fingerprint_of(session: StudySession) -> str:
    return v.session_fingerprint(
        date=session.date,
        start_time=session.start_time,
        minutes=session.minutes,
        category=session.category,
        item_key=session.item_key,
        note=session.note,
    )


@dataclass(frozen=True)
class SessionLogResult:
    session: StudySession
    created: bool


def study_session_log(
    *,
    enrollment: Enrollment,
    minutes: int,
    category: str,
    date: dt.date | None = None,
    start_time: dt.time | None = None,
    item_key: str = "",
    note: str = "",
    idempotency_key: str | None = None,
) -> SessionLogResult:
    """Log study time. `date` defaults to the learner's local today.

    With an `idempotency_key`, a repeat of the same request returns the session
    the first one created (`created=False`); the same key with different inputs
    raises `Conflict`. Keys are scoped to the enrollment.
    """
    given = {
        "date": date,
        "start_time": start_time,
        "minutes": minutes,
        "category": category,
        "item_key": item_key,
        "note": note,
    }
    key_hash = ""
    if idempotency_key is not None:
        if not idempotency_key.strip() or len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
            raise Invalid.for_field(
                "Idempotency-Key", f"must be 1 to {IDEMPOTENCY_KEY_MAX} characters"
            )
        key_hash = v.sha256(idempotency_key)
    try:
        session = _session_insert(enrollment=enrollment, given=given, key_hash=key_hash)
    except (Invalid, IntegrityError):
        # A key seen before answers with its first session whatever this request's
        # inputs would say today (or Conflict if they differ). A new key never pays for
        # the lookup: the unique index finds the repeat, or the race's loser.
        if not key_hash:
            raise
        replay = _replay(enrollment, key_hash, v.request_fingerprint(given))
        if replay is None:
            raise
        return SessionLogResult(session=replay, created=False)
    return SessionLogResult(session=session, created=True)


def _session_insert(
    *, enrollment: Enrollment, given: dict[str, Any], key_hash: str
) -> StudySession:
    """Validate and store one session (`Invalid` names every field at fault)."""
    day = given["date"] or v.learner_today(enrollment)
    document = v.document_of(enrollment)
    item_key = v.item_key_resolve(given["item_key"], document)
    category = v.category_resolve(given["category"], document)
    _raise_if(
        _session_errors(
            enrollment=enrollment,
            date=day,
            minutes=given["minutes"],
            category=category,
            item_key=item_key,
            note=given["note"],
            start_time=given["start_time"],
        )
    )
    session = StudySession(
        enrollment=enrollment,
        date=day,
        start_time=given["start_time"],
        minutes=given["minutes"],
        category=category,
        item_key=item_key,
        note=given["note"].strip(),
        idempotency_key=key_hash,
        request_fingerprint=v.request_fingerprint(given) if key_hash else "",
    )
    session.fingerprint = _fingerprint_of(session)
    if transaction.get_connection().in_atomic_block:
        # A savepoint, so the caller's transaction outlives a duplicate key.
        with transaction.atomic():
            session.save()
    else:
        session.save()  # one INSERT (its stamp trigger included) commits on its own
    return session


def _replay(enrollment: Enrollment, key_hash: str, fingerprint: str) -> StudySession | None:
    # The exclude repeats the partial index's condition so SQLite uses that index; without
    # it, every keyed POST scanned all of the enrollment's sessions (2 ms at 3,000).
    first = (
        StudySession.objects.filter(enrollment=enrollment, idempotency_key=key_hash)
        .exclude(idempotency_key="")
        .order_by()
        .first()
    )
    if first is None:
        return None
    if first.request_fingerprint != fingerprint:
        raise Conflict(
            "this Idempotency-Key was already used with a different request; "
            "use a new key for a new session",
            errors=[
                {
                    "field": "Idempotency-Key",
                    "message": "already used with a different request body",
                }
            ],
        )
    return first


def _refuse_if_practice(session: StudySession) -> None:
    problem = PracticeProblem.objects.filter(session=session).only("id", "title").first()
    if problem is not None:
        raise Conflict(
            f"this session holds the minutes of practice problem {problem.title!r}; "
            "change or delete the practice problem instead",
            extra={"practice_problem_id": problem.pk},
        )


def study_session_update(*, session: StudySession, changes: dict[str, Any]) -> StudySession:
    """Change some fields of a session (keys of `changes` among date, start_time, minutes,
    category, item_key, note)."""
    unknown = sorted(set(changes) - set(SESSION_FIELDS))
    if unknown:
        raise Invalid.for_field(unknown[0], "cannot be changed")
    _refuse_if_practice(session)
    for name, value in changes.items():
        if name in ("minutes", "category", "date") and value is None:
            raise Invalid.for_field(name, "must not be empty")
        if name in ("item_key", "note") and value is None:
            value = ""
        if name == "item_key":
            value = v.item_key_resolve(value, v.document_of(session.enrollment))
        if name == "category":
            value = v.category_resolve(value, v.document_of(session.enrollment))
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    _raise_if(
        _session_errors(
            enrollment=session.enrollment,
            date=session.date,
            minutes=session.minutes,
            category=session.category,
            item_key=session.item_key,
            note=session.note,
            start_time=session.start_time,
        )
    )
    session.fingerprint = _fingerprint_of(session)
    session.save()
    return session


def study_session_delete(*, session: StudySession) -> None:
    """Delete a session (not one that belongs to a practice problem)."""
    _refuse_if_practice(session)
    session.delete()


# --- practice -----------------------------------------------------------------


def _practice_errors(*, enrollment: Enrollment, values: dict[str, Any]) -> list[dict[str, str]]:
    document = v.document_of(enrollment)
    checks = {
        "date": v.check_enrollment_date(values["date"], enrollment),
        "platform": None
        if values["platform"] in {"leetcode", "hackerrank", "other"}
        else f"{values['platform']!r} is not a platform; choose leetcode, hackerrank or other",
        "title": v.check_text(values["title"], v.TITLE_MAX, required=True),
        "url": v.check_url(values["url"]),
        "difficulty": None
        if values["difficulty"] in {"easy", "medium", "hard"}
        else f"{values['difficulty']!r} is not a difficulty; choose easy, medium or hard",
        "item_key": v.check_item_key(values["item_key"], document),
        "outcome": None
        if values["outcome"] in {"solved", "solved_with_help", "not_solved"}
        else f"{values['outcome']!r} is not an outcome; "
        "choose solved, solved_with_help or not_solved",
        "minutes": v.check_minutes(values["minutes"], allow_zero=True),
    }
    return [{"field": field, "message": message} for field, message in checks.items() if message]


def _sync_practice_session(problem: PracticeProblem) -> None:
    """Keep the problem's one study session in step with its minutes."""
    session = problem.session
    if problem.minutes <= 0:
        if session is not None:
            problem.session = None
            problem.save(update_fields=["session"])
            session.delete()
        return
    document = v.document_of(problem.enrollment)
    if session is None:
        session = StudySession(enrollment=problem.enrollment)
    session.date = problem.date
    session.minutes = problem.minutes
    session.category = document.weekly_schedule.topic_category
    session.item_key = problem.item_key
    session.note = f"Practice: {problem.title}"[: v.NOTE_MAX]
    session.fingerprint = _fingerprint_of(session)
    session.save()
    if problem.session_id != session.pk:
        problem.session = session
        problem.save(update_fields=["session"])


def practice_problem_log(
    *,
    enrollment: Enrollment,
    platform: str,
    title: str,
    difficulty: str,
    outcome: str,
    date: dt.date | None = None,
    url: str = "",
    item_key: str = "",
    minutes: int = 0,
) -> PracticeProblem:
    """Record a practice problem. Its minutes (if any) become one study session in the
    roadmap's topic category, so they count once in the weekly review."""
    values: dict[str, Any] = {
        "date": date or v.learner_today(enrollment),
        "platform": platform,
        "title": title.strip(),
        "url": url.strip(),
        "difficulty": difficulty,
        "item_key": v.item_key_resolve(item_key, v.document_of(enrollment)),
        "outcome": outcome,
        "minutes": minutes,
    }
    _raise_if(_practice_errors(enrollment=enrollment, values=values))
    with transaction.atomic():
        problem = PracticeProblem.objects.create(enrollment=enrollment, **values)
        _sync_practice_session(problem)
    return problem


def practice_problem_update(
    *, problem: PracticeProblem, changes: dict[str, Any]
) -> PracticeProblem:
    """Change a practice problem; its study session follows."""
    fields = ("date", "platform", "title", "url", "difficulty", "item_key", "outcome", "minutes")
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise Invalid.for_field(unknown[0], "cannot be changed")
    values = {name: getattr(problem, name) for name in fields}
    for name, value in changes.items():
        if value is None and name in ("url", "item_key"):
            value = ""
        if value is None:
            raise Invalid.for_field(name, "must not be empty")
        values[name] = value.strip() if isinstance(value, str) else value
    values["item_key"] = v.item_key_resolve(values["item_key"], v.document_of(problem.enrollment))
    _raise_if(_practice_errors(enrollment=problem.enrollment, values=values))
    with transaction.atomic():
        for name, value in values.items():
            setattr(problem, name, value)
        problem.save()
        _sync_practice_session(problem)
    return problem


def practice_problem_delete(*, problem: PracticeProblem) -> None:
    """Delete a practice problem and the study session holding its minutes."""
    with transaction.atomic():
        session = problem.session
        problem.delete()
        if session is not None:
            session.delete()


# --- journal entries ------------------------------------------------------------


def _entry_values(
    *, enrollment: Enrollment, values: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    document = v.document_of(enrollment)
    errors: list[dict[str, str]] = []
    tags, tag_problem = v.normalize_tags(list(values["tags"]))
    keys, key_problem = v.check_item_keys(list(values["item_keys"]), document)
    checks = {
        "date": v.check_enrollment_date(values["date"], enrollment),
        "title": v.check_text(values["title"], v.TITLE_MAX, required=True),
        "body": v.check_text(values["body"], v.BODY_MAX),
        "tags": tag_problem,
        "item_keys": key_problem,
    }
    errors = [{"field": field, "message": message} for field, message in checks.items() if message]
    cleaned = dict(values, title=values["title"].strip(), tags=tags, item_keys=keys)
    return cleaned, errors


def _index(values: list[str]) -> str:
    return "|" + "|".join(values) + "|" if values else ""


def journal_entry_create(
    *,
    enrollment: Enrollment,
    title: str,
    body: str = "",
    date: dt.date | None = None,
    tags: list[str] | tuple[str, ...] = (),
    item_keys: list[str] | tuple[str, ...] = (),
    public: bool = False,
) -> JournalEntry:
    """Write a learning-log entry (Markdown body, tags, linked items).

    A `public` entry shows on the learner's portfolio when its journal section is on.
    """
    cleaned, errors = _entry_values(
        enrollment=enrollment,
        values={
            "date": date or v.learner_today(enrollment),
            "title": title,
            "body": body,
            "tags": tags,
            "item_keys": item_keys,
        },
    )
    _raise_if(errors)
    return JournalEntry.objects.create(
        enrollment=enrollment,
        public=bool(public),
        tags_index=_index(cleaned["tags"]),
        items_index=_index(cleaned["item_keys"]),
        **cleaned,
    )


TWIN_WINDOW = dt.timedelta(minutes=30)


def journal_entry_twin(
    *, enrollment: Enrollment, title: str, body: str = "", date: dt.date | None = None
) -> JournalEntry | None:
    """An entry with the same day, title and text written in the last half hour: the same
    form sent again (the back button brings a fresh page, so its one-time token is new)."""
    return (
        JournalEntry.objects.filter(
            enrollment=enrollment,
            date=date or v.learner_today(enrollment),
            title=title.strip(),
            body=body,
            created_at__gte=timezone.now() - TWIN_WINDOW,
        )
        .order_by("-pk")
        .first()
    )


def journal_entry_update(*, entry: JournalEntry, changes: dict[str, Any]) -> JournalEntry:
    """Change some fields of an entry (date, title, body, tags, item_keys, public)."""
    fields = ("date", "title", "body", "tags", "item_keys")
    changes = dict(changes)
    public = changes.pop("public", None)
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        raise Invalid.for_field(unknown[0], "cannot be changed")
    values = {name: getattr(entry, name) for name in fields}
    for name, value in changes.items():
        if value is None and name in ("body", "tags", "item_keys"):
            value = "" if name == "body" else []
        if value is None:
            raise Invalid.for_field(name, "must not be empty")
        values[name] = value
    cleaned, errors = _entry_values(enrollment=entry.enrollment, values=values)
    _raise_if(errors)
    for name, value in cleaned.items():
        setattr(entry, name, value)
    entry.tags_index = _index(cleaned["tags"])
    entry.items_index = _index(cleaned["item_keys"])
    if public is not None:
        entry.public = bool(public)
    entry.save()
    return entry


def journal_entry_delete(*, entry: JournalEntry) -> None:
    """Delete a journal entry."""
    entry.delete()


# --- CSV import ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    skipped: int


def sessions_import_csv(*, enrollment: Enrollment, text: str) -> ImportResult:
    """Import study sessions from CSV text (format in docs/journal.md).

    Every row is checked first; any problem raises `Invalid` with one error per
    bad cell naming its row and column, and nothing is written. Rows already
    present (same date, start, minutes, category, item and note) are skipped,
    counting duplicates: a file holding a row twice adds it at most twice, so
    importing the same file again adds nothing.
    """
    parsed, errors = parse_sessions_csv(text)
    rows: list[ParsedRow] = []
    if parsed:
        document = v.document_of(enrollment)
        for row in parsed:
            checks = {
                "date": v.check_enrollment_date(row.date, enrollment),
                "minutes": v.check_minutes(row.minutes),
                "category": v.check_category(row.category, document),
                "item_key": v.check_item_key(row.item_key, document),
                "note": v.check_text(row.note, v.NOTE_MAX),
            }
            for column, message in checks.items():
                if message:
                    errors.append(
                        {
                            "field": column,
                            "row": str(row.line),
                            "message": f"row {row.line}, column {column}: {message}",
                        }
                    )
            rows.append(row)
    if errors:
        errors.sort(key=lambda e: int(e.get("row", "0")))
        raise Invalid(
            f"{len(errors)} problem(s) in the file; nothing was imported. "
            + "; ".join(e["message"] for e in errors[:5]),
            errors=errors,
        )
    if not rows:
        return ImportResult(rows=0, created=0, skipped=0)

    with transaction.atomic():
        # Serialise imports into one enrollment so two uploads of one file at
        # once cannot both see "not there yet".
        Enrollment.objects.select_for_update().filter(pk=enrollment.pk).exists()
        first = min(r.date for r in rows)
        last = max(r.date for r in rows)
        existing: dict[str, int] = {}
        for fingerprint in StudySession.objects.filter(
            enrollment=enrollment, date__gte=first, date__lte=last
        ).values_list("fingerprint", flat=True):
            existing[fingerprint] = existing.get(fingerprint, 0) + 1
        new: list[StudySession] = []
        for row in rows:
            session = StudySession(
                enrollment=enrollment,
                date=row.date,
                start_time=row.start_time,
                minutes=row.minutes,
                category=row.category,
                item_key=row.item_key,
                note=row.note,
            )
            session.fingerprint = _fingerprint_of(session)
            if existing.get(session.fingerprint, 0) > 0:
                existing[session.fingerprint] -= 1
                continue
            new.append(session)
        StudySession.objects.bulk_create(new, batch_size=500)
    return ImportResult(rows=len(rows), created=len(new), skipped=len(rows) - len(new))


def logged_minutes_by_item(enrollment: Enrollment) -> dict[str, int]:
    """Minutes of study sessions per item key (sessions with no item are left out)."""
    rows = (
        StudySession.objects.filter(enrollment=enrollment)
        .exclude(item_key="")
        .values("item_key")
        .annotate(total=Sum("minutes"))
    )
    return {row["item_key"]: int(row["total"]) for row in rows}


def item_keys_move(enrollment: Enrollment, renames: Mapping[str, str]) -> None:
    """Rewrite item keys old → new on sessions, practice problems and journal entries.

    Called by `progress.services.enrollment_upgrade` inside its transaction when a new
    roadmap version renamed items the learner logged time or wrote about.
    """
    for old, new in renames.items():
        StudySession.objects.filter(enrollment=enrollment, item_key=old).update(item_key=new)
        PracticeProblem.objects.filter(enrollment=enrollment, item_key=old).update(item_key=new)
    entries = [
        entry
        for entry in JournalEntry.objects.filter(enrollment=enrollment)
        if any(key in renames for key in entry.item_keys)
    ]
    for entry in entries:
        entry.item_keys = [renames.get(key, key) for key in entry.item_keys]
    JournalEntry.objects.bulk_update(entries, ["item_keys"])
