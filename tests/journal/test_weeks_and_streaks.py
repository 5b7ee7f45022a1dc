"""Week labels for every week start, and the streak rules, as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levelup.journal.quickadd import parse_quick_line
from levelup.journal.streaks import compute_streaks
from levelup.journal.weeks import week_from_label, week_of, week_parse
from levelup.lib.dates import EARLIEST_DAY, LATEST_DAY
from levelup.lib.errors import Invalid

D = dt.date


class TestWeeks:
    def test_a_monday_week_is_the_iso_week(self):
        week = week_of(D(2026, 3, 11), 0)
        assert (week.label, week.start, week.end) == ("2026-W11", D(2026, 3, 9), D(2026, 3, 15))

    def test_a_sunday_week_starts_the_day_before_the_iso_monday(self):
        week = week_from_label("2026-W11", 6)
        assert (week.start, week.end) == (D(2026, 3, 8), D(2026, 3, 14))
        # Sunday the 15th begins the next Sunday week.
        assert week_of(D(2026, 3, 15), 6).label == "2026-W12"

    def test_a_saturday_week_starts_two_days_before_the_iso_monday(self):
        week = week_from_label("2026-W11", 5)
        assert (week.start, week.end) == (D(2026, 3, 7), D(2026, 3, 13))

    def test_year_boundaries_follow_iso_numbering(self):
        assert week_of(D(2026, 12, 31), 0).label == "2026-W53"
        assert week_of(D(2027, 1, 3), 0).label == "2026-W53"
        assert week_of(D(2027, 1, 4), 0).label == "2027-W01"

    @given(st.dates(min_value=EARLIEST_DAY, max_value=LATEST_DAY), st.sampled_from([0, 5, 6]))
    def test_every_date_lies_in_the_week_its_label_names(self, day, start):
        week = week_of(day, start)
        assert week.start <= day <= week.end
        assert week.start.weekday() == start
        assert week_from_label(week.label, start) == week

    @pytest.mark.parametrize("label", ["2026-W54", "2025-W53", "2026-11", "W11", "2026-W1"])
    def test_a_bad_label_names_the_week_field(self, label):
        with pytest.raises(Invalid) as caught:
            week_parse(label, 0, D(2026, 1, 1))
        assert caught.value.errors[0]["field"] == "week"

    @pytest.mark.parametrize(
        "value", ["9999-W52", "0001-W01", "1999-W51", "2101-W02", "9999-12-31"]
    )
    def test_a_week_outside_the_products_range_names_the_week_field(self, value):
        with pytest.raises(Invalid) as caught:
            week_parse(value, 0, D(2026, 1, 1))
        assert caught.value.errors[0]["field"] == "week"
        assert "2000-01-01 and 2100-12-31" in caught.value.errors[0]["message"]

    def test_a_date_picks_its_week(self):
        assert week_parse("2026-03-11", 0, D(2020, 1, 1)).label == "2026-W11"
        assert week_parse(None, 0, D(2026, 3, 11)).label == "2026-W11"


def streaks(days, *, today, pauses=(), study_days=range(7), week_start=0, weekly_min=60):
    return compute_streaks(
        daily_minutes=days,
        pauses=pauses,
        study_days=study_days,
        today=today,
        week_start=week_start,
        weekly_min_minutes=weekly_min,
    )


def every_day(first, last, minutes=30):
    day, out = first, {}
    while day <= last:
        out[day] = minutes
        day += dt.timedelta(days=1)
    return out


class TestStreaks:
    def test_no_study_means_no_streak(self):
        found = streaks({}, today=D(2026, 3, 10))
        assert (found.daily_current, found.daily_longest, found.weekly_current) == (0, 0, 0)

    def test_today_without_study_does_not_break_the_daily_streak_yet(self):
        found = streaks(every_day(D(2026, 3, 1), D(2026, 3, 9)), today=D(2026, 3, 10))
        assert found.daily_current == 9

    def test_a_missed_day_breaks_the_daily_streak(self):
        days = every_day(D(2026, 3, 1), D(2026, 3, 4)) | every_day(D(2026, 3, 6), D(2026, 3, 7))
        found = streaks(days, today=D(2026, 3, 7))
        assert (found.daily_current, found.daily_longest) == (2, 4)

    def test_rest_days_do_not_break_the_daily_streak(self):
        # Monday to Friday study, weekends are rest days.
        days = {d: 30 for d in every_day(D(2026, 3, 2), D(2026, 3, 13)) if d.weekday() < 5}
        found = streaks(days, today=D(2026, 3, 13), study_days=[0, 1, 2, 3, 4])
        assert found.daily_current == 10

    def test_a_paused_stretch_keeps_both_streaks(self):
        # Three weeks of study, two paused weeks with nothing, then one more week.
        days = every_day(D(2026, 3, 2), D(2026, 3, 22)) | every_day(D(2026, 4, 6), D(2026, 4, 12))
        pauses = [(D(2026, 3, 23), D(2026, 4, 5))]
        found = streaks(days, today=D(2026, 4, 12), pauses=pauses)
        assert found.daily_current == 21 + 7
        assert found.weekly_current == 4
        without_pause = streaks(days, today=D(2026, 4, 12))
        assert without_pause.daily_current == 7 and without_pause.weekly_current == 1

    def test_an_open_pause_runs_to_today(self):
        days = every_day(D(2026, 3, 2), D(2026, 3, 8))
        found = streaks(days, today=D(2026, 3, 30), pauses=[(D(2026, 3, 9), None)])
        assert (found.daily_current, found.weekly_current) == (7, 1)

    def test_a_week_below_the_minimum_breaks_the_weekly_streak(self):
        days = every_day(D(2026, 3, 2), D(2026, 3, 22), minutes=10)  # 70 min a week
        days[D(2026, 3, 18)] = 0
        days[D(2026, 3, 19)] = 0
        found = streaks(days, today=D(2026, 3, 25), weekly_min=65)
        assert (found.weekly_current, found.weekly_longest) == (0, 2)

    def test_the_current_week_below_the_minimum_does_not_break_it_yet(self):
        days = every_day(D(2026, 3, 2), D(2026, 3, 15), minutes=20)
        found = streaks(days, today=D(2026, 3, 17), weekly_min=120)
        assert found.weekly_current == 2

    def test_weekly_streaks_use_the_learners_week_start(self):
        # 60 min every Saturday and Sunday. Monday and Saturday weeks hold a whole weekend
        # (120 min) each; Sunday weeks split it, so the first Sunday week (a lone Saturday,
        # 60 min) misses and the current one (a lone Sunday so far) is still open.
        days = {}
        for saturday in (D(2026, 3, 7), D(2026, 3, 14), D(2026, 3, 21)):
            days[saturday] = 60
            days[saturday + dt.timedelta(days=1)] = 60
        assert streaks(days, today=D(2026, 3, 23), weekly_min=120, week_start=0).weekly_current == 3
        assert streaks(days, today=D(2026, 3, 23), weekly_min=120, week_start=6).weekly_current == 2
        assert streaks(days, today=D(2026, 3, 23), weekly_min=120, week_start=5).weekly_current == 3


class TestQuickAdd:
    CATS = ["theory", "projects", "review"]

    @pytest.mark.parametrize(
        ("line", "minutes"),
        [("45 theory", 45), ("45m theory", 45), ("2h th", 120), ("1h30 th", 90), ("1.5h th", 90)],
    )
    def test_durations(self, line, minutes):
        assert parse_quick_line(line, categories=self.CATS, today=D(2026, 3, 10)).minutes == minutes

    def test_pieces_in_any_order_and_the_rest_is_the_note(self):
        entry = parse_quick_line(
            "pro yesterday 19:15 1h project:build-it wired up auth",
            categories=self.CATS,
            today=D(2026, 3, 10),
        )
        assert (
            entry.category,
            entry.date,
            entry.start_time,
            entry.minutes,
            entry.item_key,
            entry.note,
        ) == (
            "projects",
            D(2026, 3, 9),
            dt.time(19, 15),
            60,
            "project:build-it",
            "wired up auth",
        )

    def test_missing_duration_and_category_are_named(self):
        with pytest.raises(Invalid) as caught:
            parse_quick_line("read a book", categories=self.CATS, today=D(2026, 3, 10))
        assert {e["field"] for e in caught.value.errors} == {"minutes", "category"}
