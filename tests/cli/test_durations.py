"""Durations as learners type them."""

from __future__ import annotations

import pytest

from levelup.cli.durations import DurationError, format_minutes, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("45min", 45),
        ("1h30m", 90),
        ("1h30", 90),
        ("1 h 30 min", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        (".5h", 30),
        ("2h", 120),
        ("2hours", 120),
        ("1:30", 90),
        ("0:05", 5),
        ("90", 90),
        ("16h", 960),
        ("1.5m", 2),
    ],
)
def test_it_reads_the_forms_people_type(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


def test_a_bare_number_means_minutes() -> None:
    assert parse_duration("90") == 90
    assert parse_duration("1.5") == 2


@pytest.mark.parametrize("text", ["", "h", "m", "abc", "1x", "1h30x", "1:75", "-5", "1h 2h", "m30"])
def test_it_rejects_what_is_not_a_duration_and_names_the_input(text: str) -> None:
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    assert f"duration {text!r}" in str(info.value)
    assert "45m" in str(info.value)  # says which forms work


def test_it_rejects_less_than_a_minute() -> None:
    with pytest.raises(DurationError, match="less than a minute"):
        parse_duration("0")
    with pytest.raises(DurationError, match="less than a minute"):
        parse_duration("0.001h")


def test_it_rejects_a_duration_over_sixteen_hours() -> None:
    with pytest.raises(DurationError, match="more than 16 hours"):
        parse_duration("16h1m")


@pytest.mark.parametrize(
    ("minutes", "text"), [(45, "45 min"), (90, "1 h 30 min"), (120, "2 h"), (0, "0 min")]
)
def test_minutes_print_as_hours_and_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text
