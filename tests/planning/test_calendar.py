"""ICS export: study blocks and checkpoints, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from levelup.planning.calendar import StudyBlock, StudySlot, build_ics, study_blocks_for
from levelup.planning.core import LearnerInput, Pause, Plan, PlannedCheckpoint, plan
from levelup.planning.examples import backend_roadmap

START = date(2025, 3, 17)  # a Monday, two weeks before Europe's switch to summer time
STAMP = datetime(2025, 3, 17, 6, 0, tzinfo=UTC)
ROUTINE = [(time(19, 0), 1.5, "Theory"), (time(20, 45), 1.0, "Projects")]
MON_WED_FRI = {0, 2, 4}
HOURS = 12.5


def make_plan(*pauses: Pause) -> Plan:
    person = LearnerInput(start_date=START, weekly_hours=12.5, pauses=pauses, states={})
    return plan(backend_roadmap(), person, START)


def render(blocks: list[StudyBlock], tz: str = "Europe/Berlin", **kwargs: object) -> bytes:
    checkpoints = kwargs.pop("checkpoints", make_plan().checkpoints)
    return build_ics(
        calendar_name="Backend plan",
        tz=tz,
        study_blocks=blocks,
        checkpoints=checkpoints,  # type: ignore[arg-type]
        dtstamp=STAMP,
        uid_prefix="enrollment-7",
    )


def events(data: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_blocks_fall_on_study_days_at_the_routine_times() -> None:
    blocks = study_blocks_for(
        make_plan(),
        weekly_hours=HOURS,
        study_days=MON_WED_FRI,
        slots=ROUTINE,
        weeks_ahead=2,
        today=START,
    )
    assert len(blocks) == 2 * 3 * 2
    assert {b.start.weekday() for b in blocks} == MON_WED_FRI
    assert {b.start.time() for b in blocks} == {time(19, 0), time(20, 45)}
    assert blocks[0].start == datetime(2025, 3, 17, 19, 0)
    # 12.5 h over three study days, each split 1.5 : 1 between the two routine slots.
    assert blocks[0].duration == timedelta(minutes=round(12.5 / 3 * 1.5 / 2.5 * 60))
    assert sum((b.duration for b in blocks), timedelta()) == pytest.approx(
        timedelta(hours=2 * 12.5), abs=timedelta(minutes=2)
    )


def test_each_block_names_the_weeks_focus_items_of_its_category() -> None:
    blocks = study_blocks_for(
        make_plan(), weekly_hours=HOURS, study_days={0}, slots=ROUTINE, weeks_ahead=1, today=START
    )
    theory, projects = blocks
    assert theory.summary.startswith("Theory: ")
    assert "Data structures and algorithms" in theory.summary
    assert "project" not in theory.summary
    assert projects.summary.startswith("Projects: Beginner project")
    assert "h this week" in theory.description


def test_a_slot_can_name_its_category_explicitly() -> None:
    slots = [StudySlot(time(7, 0), 0.5, "Morning reading", category="theory")]
    review = [StudySlot(time(8, 0), 0.5, "Review", category="review")]
    plan_ = make_plan()
    (reading,) = study_blocks_for(
        plan_, weekly_hours=HOURS, study_days={0}, slots=slots, weeks_ahead=1, today=START
    )
    assert reading.summary.startswith("Morning reading: Data structures")
    (only,) = study_blocks_for(
        plan_, weekly_hours=HOURS, study_days={0}, slots=review, weeks_ahead=1, today=START
    )
    assert only.summary == "Review"


def test_no_blocks_before_today_or_in_a_pause() -> None:
    pause = Pause(START + timedelta(days=7), START + timedelta(days=13))
    wednesday = START + timedelta(days=2)
    blocks = study_blocks_for(
        make_plan(pause),
        weekly_hours=HOURS,
        study_days=MON_WED_FRI,
        slots=ROUTINE,
        weeks_ahead=3,
        today=wednesday,
    )
    days = sorted({b.start.date() for b in blocks})
    assert days[0] == wednesday
    assert not [d for d in days if pause.start <= d <= pause.end]
    assert days[-1] < wednesday + timedelta(days=21)


def test_the_calendar_parses_back_with_local_times_in_the_learners_zone() -> None:
    blocks = study_blocks_for(
        make_plan(),
        weekly_hours=HOURS,
        study_days=MON_WED_FRI,
        slots=ROUTINE,
        weeks_ahead=3,
        today=START,
    )
    calendar = icalendar.Calendar.from_ical(render(blocks))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//levelup//planner//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Backend plan"
    timed = [e for e in calendar.walk("VEVENT") if isinstance(e.decoded("DTSTART"), datetime)]
    assert len(timed) == len(blocks)
    for event, block in zip(timed, blocks, strict=True):
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        start = event.decoded("DTSTART")
        assert start == block.start.replace(tzinfo=ZoneInfo("Europe/Berlin"))
        assert event.decoded("DTEND") - start == block.duration
        assert event.decoded("DTSTAMP") == STAMP
        assert str(event["SUMMARY"]) == block.summary


def test_study_blocks_keep_their_wall_clock_time_across_the_dst_change() -> None:
    blocks = study_blocks_for(
        make_plan(),
        weekly_hours=HOURS,
        study_days={0},
        slots=ROUTINE[:1],
        weeks_ahead=3,
        today=START,
    )
    utc_hours = [
        e.decoded("DTSTART").astimezone(UTC).hour for e in events(render(blocks, checkpoints=[]))
    ]
    # 19:00 in Berlin is 18:00 UTC in winter (CET) and 17:00 UTC in summer (CEST).
    assert utc_hours == [18, 18, 17]


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC"])
def test_the_vtimezone_matches_the_zoneinfo_database(tz: str) -> None:
    today = date(2025, 1, 6)
    person = LearnerInput(start_date=today, weekly_hours=12.5, pauses=(), states={})
    plan_ = plan(backend_roadmap(), person, today)
    blocks = study_blocks_for(
        plan_, weekly_hours=HOURS, study_days={6}, slots=ROUTINE[:1], weeks_ahead=52, today=today
    )
    calendar = icalendar.Calendar.from_ical(render(blocks, tz=tz))
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert isinstance(vtimezone, icalendar.Timezone)
    assert vtimezone["TZID"] == tz
    # Rebuild the zone from our VTIMEZONE alone, not from the name, and compare offsets.
    from_file = vtimezone.to_tz(lookup_tzid=False)
    real = ZoneInfo(tz)
    # The definition covers the span of the events, a year of Sundays.
    moment = blocks[0].start.replace(tzinfo=UTC) - timedelta(days=1)
    while moment < blocks[-1].start.replace(tzinfo=UTC) + timedelta(days=1):
        assert moment.astimezone(from_file).utcoffset() == moment.astimezone(real).utcoffset()
        moment += timedelta(hours=5)


def test_the_summer_time_onset_is_the_local_time_before_the_change() -> None:
    blocks = study_blocks_for(
        make_plan(),
        weekly_hours=HOURS,
        study_days={0},
        slots=ROUTINE[:1],
        weeks_ahead=3,
        today=START,
    )
    (vtimezone,) = icalendar.Calendar.from_ical(render(blocks)).walk("VTIMEZONE")
    (daylight,) = vtimezone.walk("DAYLIGHT")
    # Berlin moves its clocks from 02:00 CET to 03:00 CEST on 30 March 2025 (RFC 5545: the
    # onset is written in the offset in force before it).
    assert daylight.decoded("DTSTART") == datetime(2025, 3, 30, 2, 0)
    assert daylight.decoded("TZOFFSETFROM") == timedelta(hours=1)
    assert daylight.decoded("TZOFFSETTO") == timedelta(hours=2)


def test_checkpoints_are_all_day_events() -> None:
    plan_ = make_plan()
    found = [e for e in events(render([])) if str(e["SUMMARY"]).startswith("Checkpoint")]
    assert len(found) == 4
    first = found[0]
    assert first["DTSTART"].params["VALUE"] == "DATE"
    assert first.decoded("DTSTART") == plan_.checkpoints[0].date
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(days=1)
    assert str(first["SUMMARY"]) == "Checkpoint: Month 6 checkpoint"


def test_a_checkpoint_without_a_date_is_left_out() -> None:
    undated = [PlannedCheckpoint("checkpoint:month-6", "Month 6", None)]
    assert events(render([], checkpoints=undated)) == []
    # Still a valid calendar: RFC 5545 wants at least one component.
    assert icalendar.Calendar.from_ical(render([], checkpoints=undated)).walk("VTIMEZONE")


def test_uids_are_unique_and_stable_across_exports() -> None:
    blocks = study_blocks_for(
        make_plan(),
        weekly_hours=HOURS,
        study_days=MON_WED_FRI,
        slots=ROUTINE,
        weeks_ahead=2,
        today=START,
    )
    first = [str(e["UID"]) for e in events(render(blocks))]
    again = [str(e["UID"]) for e in events(render(blocks))]
    assert first == again
    assert len(set(first)) == len(first)
    assert all(uid.startswith("enrollment-7-") and uid.endswith("@levelup") for uid in first)
    assert render(blocks) == render(blocks)


def test_an_unknown_time_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="tz"):
        render([], tz="Mars/Olympus_Mons")


def test_a_naive_dtstamp_is_rejected() -> None:
    with pytest.raises(ValueError, match="dtstamp"):
        build_ics(
            calendar_name="x",
            tz="UTC",
            study_blocks=[],
            checkpoints=[],
            dtstamp=datetime(2025, 1, 1),
            uid_prefix="e",
        )
