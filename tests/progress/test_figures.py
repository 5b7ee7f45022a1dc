"""Progress figures: effort weighting, known items, journey month, on track or behind."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from levelup.progress import figures
from levelup.progress.figures import State
from levelup.roadmaps.effort import DAYS_PER_MONTH, WEEKS_PER_MONTH


@pytest.fixture
def doc(tiny: Any) -> Any:
    return tiny[1]


def test_efforts_are_derived_from_the_windows_when_the_document_gives_none(doc: Any) -> None:
    efforts = figures.item_efforts(doc)
    w = WEEKS_PER_MONTH
    # 5 h a week nominal, 4 of them for items (theory 2.5 + projects 1.5 of 5 declared).
    # Month 1 has only alpha, so theory takes the whole 4 h a week; in months 2-4 theory
    # gets 2.5 and projects 1.5.
    assert efforts["topic:alpha"] == pytest.approx(4 * w + 2.5 * w)
    assert efforts["topic:beta"] == pytest.approx(2.5 * w * 2)
    assert efforts["project:build-it"] == pytest.approx(1.5 * w * 3)
    # At the nominal pace the roadmap fills exactly its four months.
    units = ("topic:alpha", "topic:beta", "project:build-it")
    assert sum(efforts[k] for k in units) == pytest.approx(4 * 4 * w)
    # Subtopics split their topic's effort.
    assert efforts["topic:alpha/one"] == pytest.approx(efforts["topic:alpha"] / 2)


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


START = date(2026, 1, 1)
# The tiny roadmap's own end: four nominal months from the start.
TARGET = START + timedelta(days=round(4 * DAYS_PER_MONTH) - 1)


def test_the_timeline_expects_nothing_on_the_first_day_and_everything_at_the_end(
    doc: Any,
) -> None:
    assert figures.expected_percent(doc, start=START, target=TARGET, today=START) == 0.0
    late = figures.expected_percent(doc, start=START, target=TARGET, today=date(2030, 1, 1))
    assert late == 100.0
    end = TARGET + timedelta(days=1)  # the target day itself is the last day of study
    assert figures.expected_percent(doc, start=START, target=TARGET, today=end) == 100.0


def test_the_timeline_expects_more_as_the_months_pass(doc: Any) -> None:
    one = figures.expected_percent(doc, start=START, target=TARGET, today=date(2026, 2, 1))
    two = figures.expected_percent(doc, start=START, target=TARGET, today=date(2026, 3, 1))
    assert 0 < one < two < 100


def test_a_nearer_target_expects_more_by_now(doc: Any) -> None:
    today = date(2026, 2, 15)
    own = figures.expected_percent(doc, start=START, target=TARGET, today=today)
    sooner = figures.expected_percent(
        doc, start=START, target=START + timedelta(days=60), today=today
    )
    assert sooner > own


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
