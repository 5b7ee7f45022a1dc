"""The plan as an iCalendar (RFC 5545) feed: study blocks and checkpoints.

`study_blocks_for` turns a plan and a daily routine into timed blocks in the learner's
local wall time; `build_ics` renders blocks and checkpoints as a VCALENDAR. Both are pure:
the caller passes ``today`` and ``dtstamp``, nothing reads the clock.

Times are written as local times with a TZID parameter, and the calendar carries a
VTIMEZONE for that zone built from the zoneinfo database, covering exactly the span of the
events (each offset change is written as its own observance, so the definition is right
for the dates it covers without RRULE guesswork).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

from levelup.planning.core import Plan, PlannedCheckpoint, PlannedItem, PlanWeek

PRODID = "-//levelup//planner//EN"

# Calendar apps that subscribe to a feed poll it; twice a day is plenty for a weekly plan.
REFRESH_INTERVAL = timedelta(hours=12)
# The same as RFC 5545 duration text, for the untyped X-PUBLISHED-TTL that Outlook reads.
_REFRESH_TTL = "PT12H"


@dataclass(frozen=True)
class StudySlot:
    """One block of the daily routine, e.g. 19:00 for 1.5 h of "Theory".

    ``category`` picks the week's focus items of that schedule category; when None, a label
    equal to a category slug (case-insensitive) does the same, otherwise the block names
    the week's main items whatever their category.
    """

    start: time
    hours: float
    label: str
    category: str | None = None
    # Weekdays the slot is for (0 = Monday); None means every day.
    days: frozenset[int] | None = None
    # A stable name for the slot, used in event UIDs; defaults to its position.
    slug: str = ""


@dataclass(frozen=True)
class StudyBlock:
    """A timed study event in the learner's local wall time (``start`` is naive).

    ``uid`` is stable for the same day and routine slot, so a calendar app updates the
    event when the plan changes instead of adding a duplicate.
    """

    start: datetime
    duration: timedelta
    summary: str
    description: str
    uid: str


def _as_slot(slot: StudySlot | tuple[time, float, str]) -> StudySlot:
    if isinstance(slot, StudySlot):
        return slot
    start, hours, label = slot
    return StudySlot(start=start, hours=hours, label=label)


def _focus(
    week: PlanWeek, items: dict[str, PlannedItem], category: str | None, limit: int
) -> list[tuple[PlannedItem, float]]:
    """The week's items with the most planned hours, optionally of one category."""
    chosen = [
        (items[key], hours)
        for key, hours in week.hours_by_item.items()
        if key in items and (category is None or items[key].category == category)
    ]
    # Most hours first; roadmap order (the dict's order) breaks ties, as sorted is stable.
    chosen.sort(key=lambda pair: -pair[1])
    return chosen[:limit]


def study_blocks_for(
    plan: Plan,
    *,
    weekly_hours: float,
    study_days: Iterable[int],
    slots: Sequence[StudySlot | tuple[time, float, str]],
    weeks_ahead: int,
    today: date,
    focus_items: int = 3,
) -> list[StudyBlock]:
    """Return the study blocks of the ``weeks_ahead`` weeks (7-day spans) from ``today``.

    The blocks add up to the plan's ``weekly_hours`` a week: each of the learner's
    ``study_days`` (weekday numbers, 0 = Monday) that the plan leaves available (not
    paused, not before the plan's start) gets ``weekly_hours / len(study_days)``, split
    among the routine ``slots`` for that weekday in proportion to their hours, each block
    starting at its slot's time (a day no slot covers uses the first slot's time). Days
    after the plan's last week get none. A block's summary names up to ``focus_items`` of
    the week's planned items (of the slot's category when it has one); its description
    lists them with their planned hours for the week.
    """
    routine = [_as_slot(slot) for slot in slots]
    wanted = sorted(set(study_days))
    if not wanted or weekly_hours <= 0 or not routine:
        return []
    per_day = weekly_hours / len(wanted)
    items = {item.key: item for item in plan.items}
    categories = {item.category for item in plan.items}
    horizon = today + timedelta(days=7 * max(0, weeks_ahead))
    blocks: list[StudyBlock] = []
    for week in plan.weeks:
        if week.start + timedelta(days=7) <= today or week.start >= horizon:
            continue
        for day in week.available_days:
            if day < today or day >= horizon or day.weekday() not in wanted:
                continue
            todays = [
                (index, slot)
                for index, slot in enumerate(routine)
                if slot.hours > 0 and (slot.days is None or day.weekday() in slot.days)
            ]
            if not todays:
                first = routine[0]
                todays = [(0, StudySlot(first.start, 1.0, "Study", None, None, first.slug))]
            slot_hours = sum(slot.hours for _, slot in todays)
            for index, slot in todays:
                hours = per_day * slot.hours / slot_hours
                category = slot.category
                if category is None and slot.label.lower() in categories:
                    category = slot.label.lower()
                focus = _focus(week, items, category, focus_items)
                if focus:
                    summary = f"{slot.label}: {', '.join(item.title for item, _ in focus)}"
                    lines = [f"Planned for the week of {week.start.isoformat()}:"]
                    lines += [f"- {item.title}: {h:.1f} h this week" for item, h in focus]
                else:
                    summary = slot.label
                    lines = [f"{slot.label}: review, practice or community time."]
                lines.append(
                    f"This week: {weekly_hours:g} h of study, {week.total_hours:.1f} h of "
                    "them on roadmap items."
                )
                blocks.append(
                    StudyBlock(
                        start=datetime.combine(day, slot.start),
                        duration=timedelta(minutes=round(hours * 60)),
                        summary=summary,
                        description="\n".join(lines),
                        uid=f"study-{day.isoformat()}-{slot.slug or index}",
                    )
                )
    return blocks


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"tz: unknown time zone {tz!r}") from error


def _offset_at(zone: tzinfo, minute: int) -> timedelta:
    """UTC offset of ``zone`` at a moment given in minutes since the epoch."""
    offset = datetime.fromtimestamp(minute * 60, UTC).astimezone(zone).utcoffset()
    return offset if offset is not None else timedelta(0)


def _observance(
    zone: ZoneInfo, minute: int, offset_from: timedelta
) -> icalendar.TimezoneStandard | icalendar.TimezoneDaylight:
    """The STANDARD or DAYLIGHT sub-component for the offset that starts at ``minute``."""
    moment = datetime.fromtimestamp(minute * 60, UTC).astimezone(zone)
    dst = moment.dst()
    component: icalendar.TimezoneStandard | icalendar.TimezoneDaylight = (
        icalendar.TimezoneDaylight() if dst else icalendar.TimezoneStandard()
    )
    # RFC 5545: the onset is a local time in the offset in force *before* it (TZOFFSETFROM).
    onset = (datetime.fromtimestamp(minute * 60, UTC) + offset_from).replace(tzinfo=None)
    component.add("dtstart", onset)
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", moment.utcoffset() or timedelta(0))
    name = moment.tzname()
    if name:
        component.add("tzname", name)
    return component


def _vtimezone(tz: str, first: datetime, last: datetime) -> icalendar.Timezone:
    """A VTIMEZONE for ``tz`` valid from ``first`` to ``last`` (aware datetimes).

    The zoneinfo offsets are sampled daily and each change is pinned to the minute by
    bisection; every change becomes one observance.
    """
    zone = _zone(tz)
    timezone = icalendar.Timezone()
    timezone.add("tzid", tz)
    start = int((first - timedelta(days=2)).timestamp()) // 60
    end = int((last + timedelta(days=2)).timestamp()) // 60
    current = _offset_at(zone, start)
    timezone.add_component(_observance(zone, start, current))
    day = 24 * 60
    lo = start
    while lo < end:
        hi = min(lo + day, end)
        if _offset_at(zone, hi) != current:
            # Smallest minute in (lo, hi] whose offset differs from the current one.
            left, right = lo, hi
            while right - left > 1:
                middle = (left + right) // 2
                if _offset_at(zone, middle) == current:
                    left = middle
                else:
                    right = middle
            timezone.add_component(_observance(zone, right, current))
            current = _offset_at(zone, right)
            lo = right
        else:
            lo = hi
    return timezone


def build_ics(
    *,
    calendar_name: str,
    tz: str,
    study_blocks: Sequence[StudyBlock],
    checkpoints: Sequence[PlannedCheckpoint],
    dtstamp: datetime,
    uid_prefix: str,
    uid_domain: str = "levelup",
    description: str | None = None,
    extra_events: Sequence[icalendar.Event] = (),
) -> bytes:
    """Render study blocks and checkpoints as an iCalendar file.

    ``tz`` is the learner's IANA zone (blocks' local times are in it); ``dtstamp`` must be
    timezone-aware (it is written in UTC); ``uid_prefix`` identifies the learner's
    enrollment so UIDs are unique across learners and stable across regenerations.
    Checkpoints are all-day events; those without a date are left out. ``extra_events``
    (booked exams, from `levelup.resources.calendar`) are added as they are.
    Raises ValueError for an unknown zone or a naive ``dtstamp``.
    """
    zone = _zone(tz)
    if dtstamp.tzinfo is None or dtstamp.utcoffset() is None:
        raise ValueError("dtstamp: must be timezone-aware")
    stamp = dtstamp.astimezone(UTC)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", tz)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", _REFRESH_TTL)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)

    # The VTIMEZONE covers the blocks; with no blocks it is still written (around the
    # stamp), because RFC 5545 wants at least one component in a calendar.
    starts = [block.start.replace(tzinfo=zone) for block in study_blocks] or [stamp]
    ends = [(b.start + b.duration).replace(tzinfo=zone) for b in study_blocks] or [stamp]
    calendar.add_component(_vtimezone(tz, min(starts), max(ends)))

    for block in study_blocks:
        event = icalendar.Event()
        event.add("uid", f"{uid_prefix}-{block.uid}@{uid_domain}")
        event.add("dtstamp", stamp)
        # Wall-clock start and end: a block at 19:00 stays at 19:00 across a DST change.
        event.add("dtstart", block.start.replace(tzinfo=zone))
        event.add("dtend", (block.start + block.duration).replace(tzinfo=zone))
        event.add("summary", block.summary)
        event.add("description", block.description)
        event.add("transp", "OPAQUE")
        calendar.add_component(event)

    for checkpoint in checkpoints:
        if checkpoint.date is None:
            continue
        event = icalendar.Event()
        slug = checkpoint.key.replace(":", "-").replace("/", "-")
        event.add("uid", f"{uid_prefix}-{slug}@{uid_domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", checkpoint.date)
        event.add("dtend", checkpoint.date + timedelta(days=1))
        event.add("summary", f"Checkpoint: {checkpoint.title}")
        event.add("description", f"Planned date for {checkpoint.title} at your current pace.")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)

    for event in extra_events:
        calendar.add_component(event)

    data: bytes = calendar.to_ical()
    return data
