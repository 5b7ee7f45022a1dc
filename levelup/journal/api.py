"""API endpoints of the journal app (mounted under /api/v1/).

All routes live under /enrollments/{id}/ and answer 404 for an enrollment that
is not the caller's own, staff included.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from levelup.journal import csvio, selectors, services
from levelup.journal.models import (
    Difficulty,
    JournalEntry,
    Outcome,
    PracticePlatform,
    PracticeProblem,
    StudySession,
)
from levelup.journal.validation import MAX_ITEMS, MAX_MINUTES, MAX_TAGS, MIN_MINUTES, NOTE_MAX
from levelup.lib.errors import Invalid
from levelup.lib.request_size import declared_length
from levelup.lib.schemas import (
    Bool,
    Date,
    Error,
    Id,
    Int,
    Key,
    Limit,
    Line,
    LocalTime,
    Offset,
    Text,
    Url,
    Week,
)
from levelup.progress.models import Enrollment
from levelup.progress.selectors import enrollment_get

router = Router(tags=["journal"])
BASE = "/enrollments/{int:enrollment_id}"
# A week measured against the schedule's band: under it, inside it, over it.
BandStatus = Literal["under", "within", "over"]


# --- schemas ------------------------------------------------------------------------


Minutes = Annotated[Int, Field(ge=MIN_MINUTES, le=MAX_MINUTES)]
PracticeMinutes = Annotated[Int, Field(ge=0, le=MAX_MINUTES)]
Category = Annotated[Key, Field(max_length=80, description="A weekly-schedule category slug")]
Note = Annotated[Text, Field(max_length=NOTE_MAX)]
Tags = Annotated[list[Annotated[Key, Field(max_length=40)]], Field(max_length=MAX_TAGS)]
ItemKeys = Annotated[list[Key], Field(max_length=MAX_ITEMS)]


class SessionIn(Schema):
    date: Date | None = None
    start_time: LocalTime | None = None
    minutes: Minutes
    category: Category
    item_key: Key = ""
    note: Note = ""


class SessionPatch(Schema):
    date: Date | None = None
    start_time: LocalTime | None = None
    minutes: Minutes | None = None
    category: Category | None = None
    item_key: Key | None = None
    note: Note | None = None


class SessionOut(Schema):
    id: int
    date: dt.date
    start_time: dt.time | None
    minutes: int
    category: str
    item_key: str
    note: str
    practice_problem_id: int | None
    created_at: dt.datetime


class SessionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SessionOut]


class CategoryReviewOut(Schema):
    slug: str
    title: str
    minutes: int
    min_minutes: int
    max_minutes: int
    status: BandStatus


class DayOut(Schema):
    date: dt.date
    minutes: int


class ItemWorkedOut(Schema):
    key: str
    title: str
    minutes: int


class PracticeSummaryOut(Schema):
    count: int
    solved: int
    min: int
    max: int
    status: BandStatus | Literal["no_target"] = Field(
        description="no_target when the roadmap sets no weekly practice target"
    )


class StreaksOut(Schema):
    daily_current: int
    daily_longest: int
    weekly_current: int
    weekly_longest: int
    weekly_min_minutes: int


class WeeklyReviewOut(Schema):
    enrollment_id: int
    week: str
    start: dt.date
    end: dt.date
    week_start: int
    time_zone: str
    today: dt.date
    is_current: bool
    previous_week: str
    next_week: str
    paused: bool
    categories: list[CategoryReviewOut]
    other_minutes: int
    total_minutes: int
    min_minutes: int
    max_minutes: int
    status: BandStatus
    days: list[DayOut]
    items: list[ItemWorkedOut]
    practice: PracticeSummaryOut
    streaks: StreaksOut


class PracticeIn(Schema):
    date: Date | None = None
    platform: PracticePlatform
    title: Line
    url: Url = ""
    difficulty: Difficulty
    item_key: Key = ""
    outcome: Outcome
    minutes: PracticeMinutes = 0


class PracticePatch(Schema):
    date: Date | None = None
    platform: PracticePlatform | None = None
    title: Line | None = None
    url: Url | None = None
    difficulty: Difficulty | None = None
    item_key: Key | None = None
    outcome: Outcome | None = None
    minutes: PracticeMinutes | None = None


class PracticeOut(Schema):
    id: int
    date: dt.date
    platform: str
    title: str
    url: str
    difficulty: str
    item_key: str
    outcome: str
    minutes: int
    session_id: int | None
    created_at: dt.datetime


class PracticePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PracticeOut]


class JournalIn(Schema):
    date: Date | None = None
    title: Line
    body: Text = ""
    tags: Tags = []
    item_keys: ItemKeys = []
    public: Bool = False


class JournalPatch(Schema):
    date: Date | None = None
    title: Line | None = None
    body: Text | None = None
    tags: Tags | None = None
    item_keys: ItemKeys | None = None
    public: Bool | None = None


class JournalOut(Schema):
    id: int
    date: dt.date
    title: str
    body: str
    tags: list[str]
    item_keys: list[str]
    public: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class JournalPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[JournalOut]


class SessionImportOut(Schema):
    rows: int
    created: int
    skipped: int


# --- helpers ------------------------------------------------------------------------


def _enrollment(request: HttpRequest, enrollment_id: Id) -> Enrollment:
    return enrollment_get(user=request.auth, enrollment_id=enrollment_id)  # type: ignore[attr-defined]


def _session_out(session: StudySession, *, joined: bool = True) -> dict[str, Any]:
    practice_id = None
    if joined:
        try:
            practice_id = session.practice_problem.pk
        except PracticeProblem.DoesNotExist:
            practice_id = None
    return {
        "id": session.pk,
        "date": session.date,
        "start_time": session.start_time,
        "minutes": session.minutes,
        "category": session.category,
        "item_key": session.item_key,
        "note": session.note,
        "practice_problem_id": practice_id,
        "created_at": session.created_at,
    }


# --- sessions -----------------------------------------------------------------------


@router.post(f"{BASE}/sessions", response={201: SessionOut, 404: Error, 409: Error, 422: Error})
def session_create(
    request: HttpRequest, enrollment_id: Id, payload: SessionIn, response: HttpResponse
) -> tuple[int, dict[str, Any]]:
    """Log study time. Send `Idempotency-Key: <unique string>` to make retries safe:
    a repeat with the same key and body returns the first session (header
    `Idempotent-Replayed: true`); the same key with another body answers 409."""
    enrollment = _enrollment(request, enrollment_id)
    result = services.study_session_log(
        enrollment=enrollment,
        idempotency_key=request.headers.get("Idempotency-Key"),
        **payload.model_dump(),
    )
    if not result.created:
        response["Idempotent-Replayed"] = "true"
    return 201, _session_out(result.session, joined=False)


@router.get(f"{BASE}/sessions", response={200: SessionPage, 404: Error, 422: Error})
def session_index(
    request: HttpRequest,
    enrollment_id: Id,
    date_from: Date | None = Query(None, alias="from"),  # noqa: B008
    date_to: Date | None = Query(None, alias="to"),  # noqa: B008
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Sessions newest first. `from`/`to`: inclusive local dates; `limit` (≤ 500), `offset`."""
    enrollment = _enrollment(request, enrollment_id)
    sessions = selectors.session_list(enrollment=enrollment, date_from=date_from, date_to=date_to)
    return {
        "count": sessions.count(),
        "limit": limit,
        "offset": offset,
        "items": [_session_out(s) for s in sessions[offset : offset + limit]],
    }


@router.patch(
    f"{BASE}/sessions/{{int:session_id}}",
    response={200: SessionOut, 404: Error, 409: Error, 422: Error},
)
def session_patch(
    request: HttpRequest, enrollment_id: Id, session_id: Id, payload: SessionPatch
) -> dict[str, Any]:
    """Change a session. Sessions holding a practice problem's minutes answer 409."""
    enrollment = _enrollment(request, enrollment_id)
    session = selectors.session_get(enrollment=enrollment, session_id=session_id)
    session = services.study_session_update(
        session=session, changes=payload.model_dump(exclude_unset=True)
    )
    return _session_out(session, joined=False)


@router.delete(f"{BASE}/sessions/{{int:session_id}}", response={204: None, 404: Error, 409: Error})
def session_delete(request: HttpRequest, enrollment_id: Id, session_id: Id) -> tuple[int, None]:
    """Delete a session. Sessions holding a practice problem's minutes answer 409."""
    enrollment = _enrollment(request, enrollment_id)
    services.study_session_delete(
        session=selectors.session_get(enrollment=enrollment, session_id=session_id)
    )
    return 204, None


@router.get(
    f"{BASE}/sessions.csv",
    response={200: None, 404: Error},
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}},
)
def session_export(request: HttpRequest, enrollment_id: Id) -> StreamingHttpResponse:
    """Every session as CSV: date,start_time,minutes,category,item_key,note,source."""
    enrollment = _enrollment(request, enrollment_id)
    response = StreamingHttpResponse(
        selectors.sessions_csv(enrollment=enrollment), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sessions-{enrollment.pk}.csv"'
    return response


@router.post(f"{BASE}/sessions/import", response={200: SessionImportOut, 404: Error, 422: Error})
def session_import(request: HttpRequest, enrollment_id: Id) -> dict[str, int]:
    """Import sessions from CSV: a multipart upload in field `file`, or a `text/csv` body.
    Any bad row answers 422 naming row and column, and nothing is written; rows
    already present are skipped."""
    enrollment = _enrollment(request, enrollment_id)
    # Sizes are checked before anything is read; the request-size middleware has
    # already refused a body larger than the file plus its multipart envelope.
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid.for_field("file", "attach the CSV file in the form field 'file'")
        _csv_size_check(upload.size or 0)
        raw = upload.read()
    else:
        _csv_size_check(declared_length(request) or 0)
        # read(), not .body: DATA_UPLOAD_MAX_MEMORY_SIZE is for ordinary bodies, and
        # this one may be as large as the documented import limit.
        raw = request.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid.for_field("file", "is not UTF-8 text") from None
    result = services.sessions_import_csv(enrollment=enrollment, text=text)
    return {"rows": result.rows, "created": result.created, "skipped": result.skipped}


def _csv_size_check(size: int) -> None:
    if size > csvio.MAX_BYTES:
        raise Invalid.for_field(
            "file", f"is larger than {csvio.MAX_BYTES // (1024 * 1024)} MB ({size:,} bytes)"
        )


# --- review and streaks -----------------------------------------------------------


@router.get(f"{BASE}/weekly-review", response={200: WeeklyReviewOut, 404: Error, 422: Error})
def weekly_review(
    request: HttpRequest, enrollment_id: Id, week: Week | None = None
) -> dict[str, Any]:
    """One learner week (`week=YYYY-Www` or a date; default this week) against the schedule.
    Weeks start on the learner's week-start day; see docs/journal.md for labels."""
    enrollment = _enrollment(request, enrollment_id)
    return selectors.weekly_review(enrollment, week)


@router.get(f"{BASE}/streaks", response={200: StreaksOut, 404: Error})
def streaks(request: HttpRequest, enrollment_id: Id) -> dict[str, Any]:
    """Daily and weekly streaks, current and longest; pauses and rest days do not break them."""
    enrollment = _enrollment(request, enrollment_id)
    found = selectors.streaks_for(enrollment)
    return {
        "daily_current": found.daily_current,
        "daily_longest": found.daily_longest,
        "weekly_current": found.weekly_current,
        "weekly_longest": found.weekly_longest,
        "weekly_min_minutes": found.weekly_min_minutes,
    }


# --- practice -----------------------------------------------------------------------


def _practice_out(problem: PracticeProblem) -> dict[str, Any]:
    return {
        "id": problem.pk,
        "date": problem.date,
        "platform": problem.platform,
        "title": problem.title,
        "url": problem.url,
        "difficulty": problem.difficulty,
        "item_key": problem.item_key,
        "outcome": problem.outcome,
        "minutes": problem.minutes,
        "session_id": problem.session_id,
        "created_at": problem.created_at,
    }


@router.get(f"{BASE}/practice", response={200: PracticePage, 404: Error, 422: Error})
def practice_index(
    request: HttpRequest,
    enrollment_id: Id,
    date_from: Date | None = Query(None, alias="from"),  # noqa: B008
    date_to: Date | None = Query(None, alias="to"),  # noqa: B008
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Practice problems newest first."""
    enrollment = _enrollment(request, enrollment_id)
    problems = selectors.practice_list(enrollment=enrollment, date_from=date_from, date_to=date_to)
    return {
        "count": problems.count(),
        "limit": limit,
        "offset": offset,
        "items": [_practice_out(p) for p in problems[offset : offset + limit]],
    }


@router.post(f"{BASE}/practice", response={201: PracticeOut, 404: Error, 422: Error})
def practice_create(
    request: HttpRequest, enrollment_id: Id, payload: PracticeIn
) -> tuple[int, dict[str, Any]]:
    """Record a practice problem. Its minutes become one study session in the roadmap's
    topic category (listed with `practice_problem_id`), so they are never entered twice."""
    enrollment = _enrollment(request, enrollment_id)
    problem = services.practice_problem_log(enrollment=enrollment, **payload.model_dump())
    return 201, _practice_out(problem)


@router.patch(
    f"{BASE}/practice/{{int:problem_id}}", response={200: PracticeOut, 404: Error, 422: Error}
)
def practice_patch(
    request: HttpRequest, enrollment_id: Id, problem_id: Id, payload: PracticePatch
) -> dict[str, Any]:
    """Change a practice problem; its study session follows."""
    enrollment = _enrollment(request, enrollment_id)
    problem = selectors.practice_get(enrollment=enrollment, problem_id=problem_id)
    problem = services.practice_problem_update(
        problem=problem, changes=payload.model_dump(exclude_unset=True)
    )
    return _practice_out(problem)


@router.delete(f"{BASE}/practice/{{int:problem_id}}", response={204: None, 404: Error})
def practice_delete(request: HttpRequest, enrollment_id: Id, problem_id: Id) -> tuple[int, None]:
    """Delete a practice problem and the session holding its minutes."""
    enrollment = _enrollment(request, enrollment_id)
    services.practice_problem_delete(
        problem=selectors.practice_get(enrollment=enrollment, problem_id=problem_id)
    )
    return 204, None


# --- journal ------------------------------------------------------------------------


def _entry_out(entry: JournalEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "date": entry.date,
        "title": entry.title,
        "body": entry.body,
        "tags": entry.tags,
        "item_keys": entry.item_keys,
        "public": entry.public,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


@router.get(f"{BASE}/journal", response={200: JournalPage, 404: Error, 422: Error})
def journal_index(
    request: HttpRequest,
    enrollment_id: Id,
    tag: Line = "",
    item: Key = "",
    q: Line = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Journal entries newest first; filter by `tag`, linked `item`, words `q` in title/body."""
    enrollment = _enrollment(request, enrollment_id)
    entries = selectors.entry_list(enrollment=enrollment, tag=tag, item=item, q=q)
    return {
        "count": entries.count(),
        "limit": limit,
        "offset": offset,
        "items": [_entry_out(e) for e in entries[offset : offset + limit]],
    }


@router.post(f"{BASE}/journal", response={201: JournalOut, 404: Error, 422: Error})
def journal_create(
    request: HttpRequest, enrollment_id: Id, payload: JournalIn
) -> tuple[int, dict[str, Any]]:
    """Write a journal entry (Markdown body; rendered sanitized on the pages)."""
    enrollment = _enrollment(request, enrollment_id)
    entry = services.journal_entry_create(enrollment=enrollment, **payload.model_dump())
    return 201, _entry_out(entry)


@router.get(f"{BASE}/journal/{{int:entry_id}}", response={200: JournalOut, 404: Error})
def journal_get(request: HttpRequest, enrollment_id: Id, entry_id: Id) -> dict[str, Any]:
    enrollment = _enrollment(request, enrollment_id)
    return _entry_out(selectors.entry_get(enrollment=enrollment, entry_id=entry_id))


@router.patch(
    f"{BASE}/journal/{{int:entry_id}}", response={200: JournalOut, 404: Error, 422: Error}
)
def journal_patch(
    request: HttpRequest, enrollment_id: Id, entry_id: Id, payload: JournalPatch
) -> dict[str, Any]:
    enrollment = _enrollment(request, enrollment_id)
    entry = selectors.entry_get(enrollment=enrollment, entry_id=entry_id)
    entry = services.journal_entry_update(
        entry=entry, changes=payload.model_dump(exclude_unset=True)
    )
    return _entry_out(entry)


@router.delete(f"{BASE}/journal/{{int:entry_id}}", response={204: None, 404: Error})
def journal_delete(request: HttpRequest, enrollment_id: Id, entry_id: Id) -> tuple[int, None]:
    enrollment = _enrollment(request, enrollment_id)
    services.journal_entry_delete(
        entry=selectors.entry_get(enrollment=enrollment, entry_id=entry_id)
    )
    return 204, None
