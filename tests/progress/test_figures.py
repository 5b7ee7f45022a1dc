"""Progress figures: effort weighting, known items, journey month, on track or behind."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from levelup.progress import figures
from levelup.progress.figures import State


@pytest.fixture
def doc(tiny: Any) -> Any:
    return tiny[1]


def test_efforts_are_derived_from_the_windows_when_the_document_gives_none(doc: Any) -> None:
    efforts = figures.item_efforts(doc)
    # alpha (months 1-2) and beta (3-4) never share a month: each gets the theory
    # midpoint (2.5 h a week) for two months.
    assert efforts["topic:alpha"] == pytest.approx(2.5 * figures.WEEKS_PER_MONTH * 2)
    assert efforts["topic:beta"] == pytest.approx(efforts["topic:alpha"])
    # Subtopics split their topic's effort.
    assert efforts["topic:alpha/one"] == pytest.approx(efforts["topic:alpha"] / 2)
    assert efforts["project:build-it"] == pytest.approx(1.5 * figures.WEEKS_PER_MONTH * 3)


def test_known_topics_count_as_complete(doc: Any) -> None:
    states = {"topic:alpha": State(rating=3), "topic:beta": State(rating=2)}
    progress = figures.progress(doc, states)
    assert progress["phases"][0]["percent"] == 100.0
    assert progress["phases"][1]["percent"] == 0.0
    assert progress["overall"]["counts"]["known"] == 1
    assert progress["overall"]["counts"]["not_started"] == 2


def test_ticked_subtopics_move_a_topic_forward_before_it_is_done(doc: Any) -> None:
    states = {"topic:alpha": State(status="in_progress"), "topic:alpha/one": State(status="done")}
    assert figures.progress(doc, states)["phases"][0]["percent"] == 50.0


def test_overall_progress_is_weighted_by_effort(doc: Any) -> None:
    efforts = figures.item_efforts(doc)
    states = {"project:build-it": State(status="done")}
    total = efforts["topic:alpha"] + efforts["topic:beta"] + efforts["project:build-it"]
    expected = round(100 * efforts["project:build-it"] / total, 1)
    assert figures.progress(doc, states)["overall"]["percent"] == expected


@pytest.mark.parametrize(
    ("start", "today", "month"),
    [
        (date(2026, 1, 31), date(2026, 1, 31), 1),
        (date(2026, 1, 31), date(2026, 2, 28), 1),
        (date(2026, 1, 31), date(2026, 3, 1), 2),
        (date(2025, 12, 15), date(2026, 7, 14), 7),
        (date(2026, 5, 1), date(2026, 4, 30), 0),
    ],
)
def test_the_journey_month_counts_calendar_months_from_the_start(
    start: date, today: date, month: int
) -> None:
    assert figures.journey_month(start, today) == month


def test_a_learner_with_nothing_done_after_two_months_is_behind(doc: Any) -> None:
    status = figures.schedule_status(doc, {}, start=date(2026, 1, 1), today=date(2026, 3, 1))
    assert status["label"] == "8 weeks behind"


def test_a_learner_who_finished_the_first_window_on_time_is_on_track(doc: Any) -> None:
    states = {"topic:alpha": State(status="done")}
    # Alpha's window is months 1-2, build-it's 2-4: by the end of month 2 the timeline
    # also expects a third of the project, so "on track" needs a little of that too.
    status = figures.schedule_status(doc, states, start=date(2026, 1, 1), today=date(2026, 2, 20))
    assert status["label"] == "on track"


def test_finishing_early_is_ahead(doc: Any) -> None:
    states = {"topic:alpha": State(status="done"), "topic:beta": State(status="done")}
    status = figures.schedule_status(doc, states, start=date(2026, 1, 1), today=date(2026, 1, 15))
    assert status["label"].endswith("weeks ahead") and status["weeks"] > 4


def test_paused_days_do_not_count_against_the_schedule(doc: Any) -> None:
    start, today = date(2026, 1, 1), date(2026, 3, 1)
    pauses = [(date(2026, 1, 1), date(2026, 2, 28))]
    status = figures.schedule_status(doc, {}, start=start, today=today, pauses=pauses)
    assert status["label"] == "on track"


def test_checkpoint_readiness_counts_linked_items_and_names_evidence_only_criteria(
    doc: Any,
) -> None:
    ready = figures.checkpoint_readiness(doc, {"project:build-it": State(status="done")}, 2, {})
    assert ready is not None
    items, evidence = ready["criteria"]
    assert (items["done"], items["required"], items["ready"]) == (1, 1, True)
    assert evidence["kind"] == "evidence" and "evidence only" in evidence["summary"]
    skipped = figures.checkpoint_readiness(
        doc, {"project:build-it": State(status="skipped")}, 2, {}
    )
    assert skipped is not None and skipped["criteria"][0]["ready"] is False


def test_next_items_put_work_in_progress_first(doc: Any) -> None:
    states = {"topic:beta": State(status="in_progress")}
    keys = [i["key"] for i in figures.next_items(doc, states)]
    assert keys == ["topic:beta", "topic:alpha", "project:build-it"]
