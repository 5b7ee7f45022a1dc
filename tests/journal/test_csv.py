"""CSV export and import: round trip, all-or-nothing rows, no duplicates."""

from __future__ import annotations

import datetime as dt

import pytest

from levelup.journal import selectors, services
from levelup.journal.models import StudySession
from levelup.lib.errors import Invalid

HEADER = "date,start_time,minutes,category,item_key,note\n"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False)


def export(enrollment):
    return "".join(selectors.sessions_csv(enrollment=enrollment))


def rows(enrollment):
    return sorted(
        StudySession.objects.filter(enrollment=enrollment).values_list(
            "date", "start_time", "minutes", "category", "item_key", "note"
        ),
        key=str,
    )


def test_an_export_imports_back_into_another_enrollment_unchanged(mine, bob, enroll):
    services.study_session_log(
        enrollment=mine,
        minutes=45,
        category="theory",
        date=dt.date(2026, 3, 2),
        start_time=dt.time(7, 5),
        item_key="topic:alpha/one",
        note='Read "chapter 1", took notes',
    )
    services.study_session_log(
        enrollment=mine, minutes=90, category="projects", date=dt.date(2026, 3, 3)
    )
    services.study_session_log(
        enrollment=mine,
        minutes=20,
        category="review",
        date=dt.date(2026, 3, 3),
        note="=SUM(A1:A9) is not a formula",
    )
    text = export(mine)
    assert text.splitlines()[0] == "date,start_time,minutes,category,item_key,note,source"
    assert "'=SUM" in text  # defused for spreadsheets
    theirs = enroll(bob)
    result = services.sessions_import_csv(enrollment=theirs, text=text)
    assert (result.rows, result.created, result.skipped) == (3, 3, 0)
    assert rows(theirs) == rows(mine)


def test_importing_the_same_file_twice_adds_nothing_the_second_time(mine):
    text = (
        HEADER
        + "2026-03-02,,30,theory,,\n2026-03-02,,30,theory,,\n2026-03-03,18:00,60,projects,,demo\n"
    )
    first = services.sessions_import_csv(enrollment=mine, text=text)
    second = services.sessions_import_csv(enrollment=mine, text=text)
    assert (first.created, second.created, second.skipped) == (3, 0, 3)
    # Two identical rows are two sessions, not one.
    assert StudySession.objects.filter(enrollment=mine).count() == 3


def test_re_importing_an_export_into_the_same_enrollment_adds_nothing(mine):
    services.study_session_log(
        enrollment=mine, minutes=45, category="theory", date=dt.date(2026, 3, 2)
    )
    services.practice_problem_log(
        enrollment=mine,
        platform="leetcode",
        title="Two Sum",
        difficulty="easy",
        outcome="solved",
        minutes=20,
        date=dt.date(2026, 3, 2),
    )
    result = services.sessions_import_csv(enrollment=mine, text=export(mine))
    assert (result.created, result.skipped) == (0, 2)


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("2026-02-30,,30,theory,,", "date"),
        ("2026-03-02,25:00,30,theory,,", "start_time"),
        ("2026-03-02,,half an hour,theory,,", "minutes"),
        ("2026-03-02,,0,theory,,", "minutes"),
        ("2026-03-02,,961,theory,,", "minutes"),
        ("2026-03-02,,30,gaming,,", "category"),
        ("2026-03-02,,30,,,", "category"),
        ("2026-03-02,,30,theory,topic:gamma,", "item_key"),
        ("2026-03-25,,30,theory,,", "date"),
    ],
)
def test_a_bad_row_names_row_and_column_and_nothing_is_written(mine, line, column):
    text = HEADER + "2026-03-01,,30,theory,,fine\n" + line + "\n2026-03-03,,30,review,,fine too\n"
    with pytest.raises(Invalid) as caught:
        services.sessions_import_csv(enrollment=mine, text=text)
    errors = caught.value.errors
    assert [(e["row"], e["field"]) for e in errors] == [("3", column)]
    assert f"row 3, column {column}" in caught.value.message
    assert not StudySession.objects.exists()


def test_every_bad_row_is_reported(mine):
    text = HEADER + "2026-03-01,,0,theory,,\n2026-03-02,,30,theory,,\nnot-a-date,,30,nope,,\n"
    with pytest.raises(Invalid) as caught:
        services.sessions_import_csv(enrollment=mine, text=text)
    assert [(e["row"], e["field"]) for e in caught.value.errors] == [
        ("2", "minutes"),
        ("4", "date"),
    ]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("", "file"),
        ("day,minutes,category\n2026-03-01,30,theory\n", "header"),
        ("date,minutes,category,colour\n2026-03-01,30,theory,red\n", "header"),
    ],
)
def test_a_bad_header_is_named(mine, text, field):
    with pytest.raises(Invalid) as caught:
        services.sessions_import_csv(enrollment=mine, text=text)
    assert caught.value.errors[0]["field"] == field


def test_columns_may_come_in_any_order_and_a_bom_is_ignored(mine):
    text = "\ufeffcategory,minutes,date\ntheory,30,2026-03-01\n"
    assert services.sessions_import_csv(enrollment=mine, text=text).created == 1
