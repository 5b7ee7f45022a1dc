"""Progress figures as pure functions of a roadmap document and a learner's item states.

No ORM and no clock here: selectors fetch the rows and pass `today`, so the rules below are
tested with plain data. The rules are written out for learners in `docs/progress.md`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from levelup.roadmaps.effort import document_effort, timeline_position
from levelup.roadmaps.schema import ItemRef, RoadmapDocument

# A rating of 3 ("can use it alone") or 4 ("can teach it") means the learner knows it.
KNOWN_RATING = 3
RATING_LABELS = (
    "new to me",
    "heard of it",
    "can use it with help",
    "can use it alone",
    "can teach it",
)

# Effective states, most settled first. "known" is not a stored status: it is a rating of
# 3-4 on an item that is not done.
COMPLETE_STATES = frozenset({"done", "known", "skipped"})
# Checkpoint criteria need real work: a skipped item does not make a learner ready.
READY_STATES = frozenset({"done", "known"})


# The one vocabulary for item states, on badges, buttons, selects, the API's labels and the
# CLI. "known" is a state, not a stored status (see `effective_state`).
STATUS_WORDS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
    "known": "Known",
}


def status_word(state: str | None) -> str:
    """A state in the product's words: "in_progress" → "In progress"."""
    return STATUS_WORDS.get(state or "not_started", str(state))


@dataclass(frozen=True, slots=True)
class State:
    """What the dashboard needs of one stored ItemProgress row."""

    status: str = "not_started"
    rating: int | None = None


NOT_STARTED = State()


def effective_state(state: State | None) -> str:
    """The one word that counts: done, known, skipped, in_progress or not_started.

    Done wins over a rating; a rating of 3-4 wins over skipped and in progress, because the
    learner says they already know it.
    """
    if state is None:
        return "not_started"
    if state.status == "done":
        return "done"
    if state.rating is not None and state.rating >= KNOWN_RATING:
        return "known"
    return state.status


def _units(document: RoadmapDocument) -> list[ItemRef]:
    """The items progress is weighted over: topics and projects (subtopics split their topic)."""
    cached = document.__dict__.get("_progress_units")
    if cached is None:
        cached = [i for i in document.items.values() if i.kind in ("topic", "project")]
        document.__dict__["_progress_units"] = cached
    return cached


def item_efforts(document: RoadmapDocument) -> dict[str, float]:
    """Each topic's, subtopic's and project's effort in hours, from the one effort model.

    See `levelup.roadmaps.effort`: the plan's item hours are these same numbers, so the
    dashboard's total is the plan's total. Checkpoints have no effort.
    """
    return document_effort(document).efforts


def unit_fraction(document: RoadmapDocument, item: ItemRef, states: Mapping[str, State]) -> float:
    """How complete one topic or project is, 0-1.

    A done, known or skipped item is complete. A topic otherwise counts the effort share of
    its complete subtopics, so ticking subtopics moves the needle before the topic is done.
    """
    if effective_state(states.get(item.key)) in COMPLETE_STATES:
        return 1.0
    subs = document.subtopic_keys(item.key) if item.kind == "topic" else ()
    if not subs:
        return 0.0
    efforts = item_efforts(document)
    total = sum(efforts[s] for s in subs)
    if total <= 0:
        complete = sum(1 for s in subs if effective_state(states.get(s)) in COMPLETE_STATES)
        return complete / len(subs)
    return (
        sum(efforts[s] for s in subs if effective_state(states.get(s)) in COMPLETE_STATES) / total
    )


def _empty_counts() -> dict[str, int]:
    return {"done": 0, "known": 0, "skipped": 0, "in_progress": 0, "not_started": 0, "total": 0}


def summarize(
    document: RoadmapDocument, items: Iterable[ItemRef], states: Mapping[str, State]
) -> dict[str, object]:
    """Effort-weighted percent and counts for a group of topics and projects."""
    efforts = item_efforts(document)
    counts = _empty_counts()
    total_hours = 0.0
    done_hours = 0.0
    for item in items:
        state = effective_state(states.get(item.key))
        counts[state] += 1
        counts["total"] += 1
        effort = efforts.get(item.key, 0.0)
        total_hours += effort
        done_hours += effort * unit_fraction(document, item, states)
    percent = round(100 * done_hours / total_hours, 1) if total_hours > 0 else 0.0
    return {
        "percent": percent,
        "hours_done": round(done_hours, 1),
        "hours_total": round(total_hours, 1),
        "counts": counts,
    }


def subtopic_counts(document: RoadmapDocument, states: Mapping[str, State]) -> dict[str, int]:
    counts = _empty_counts()
    for item in document.items.values():
        if item.kind == "subtopic":
            counts[effective_state(states.get(item.key))] += 1
            counts["total"] += 1
    return counts


def progress(document: RoadmapDocument, states: Mapping[str, State]) -> dict[str, object]:
    """Overall, per phase, per section and projects progress."""
    units = _units(document)
    phases = []
    for index, phase in enumerate(document.phases, start=1):
        phase_units = [u for u in units if u.phase == phase.slug]
        sections = [
            {
                "slug": section.slug,
                "title": section.title,
                **summarize(
                    document, [u for u in phase_units if u.section == section.slug], states
                ),
            }
            for section in phase.sections
        ]
        phases.append(
            {
                "slug": phase.slug,
                "title": phase.title,
                "number": index,
                "month_start": phase.month_start,
                "month_end": phase.month_end,
                **summarize(document, phase_units, states),
                "sections": sections,
            }
        )
    projects = [u for u in units if u.kind == "project"]
    return {
        "overall": summarize(document, units, states),
        "phases": phases,
        "projects": summarize(document, projects, states),
        "subtopics": subtopic_counts(document, states),
    }


def journey_month(start: date, today: date) -> int:
    """1 in the first month after the start date, 2 in the second…; 0 before the start."""
    if today < start:
        return 0
    months = (today.year - start.year) * 12 + (today.month - start.month)
    if today.day < start.day:
        months -= 1
    return months + 1


def expected_percent(
    document: RoadmapDocument,
    *,
    start: date,
    target: date,
    today: date,
) -> float:
    """Percent of the roadmap's effort the learner's target timeline expects done by today.

    The target timeline is the roadmap's own timeline stretched (or compressed) from the
    start date to the target finish; each item's effort is spread evenly over its window
    on it (`levelup.roadmaps.effort.timeline_position`).
    """
    position = timeline_position(
        start=start, target=target, today=today, duration_months=document.duration_months
    )
    return document_effort(document).expected_percent(position)


def checkpoint_readiness(
    document: RoadmapDocument,
    states: Mapping[str, State],
    month: int,
    evidence_counts: Mapping[str, int],
) -> dict[str, object] | None:
    """The first checkpoint at or after `month` (else the last one), criterion by criterion."""
    if not document.checkpoints:
        return None
    ordered = sorted(document.checkpoints, key=lambda c: c.month)
    checkpoint = next((c for c in ordered if c.month >= month), ordered[-1])
    key = f"checkpoint:{checkpoint.slug}"
    criteria: list[dict[str, Any]] = []
    for criterion in checkpoint.criteria:
        requirement = criterion.requirement
        if requirement.kind == "evidence":
            criteria.append(
                {
                    "slug": criterion.slug,
                    "text": criterion.text,
                    "kind": "evidence",
                    "ready": None,
                    "done": None,
                    "required": None,
                    "evidence": evidence_counts.get(key, 0),
                    "summary": (
                        "evidence only: attach evidence to the checkpoint; a mentor judges it"
                    ),
                    "items": [],
                }
            )
            continue
        linked = [
            {
                "key": k,
                "title": document.items[k].title if k in document.items else k,
                "state": effective_state(states.get(k)),
            }
            for k in requirement.items
        ]
        done = sum(1 for i in linked if i["state"] in READY_STATES)
        required = requirement.minimum or len(linked)
        criteria.append(
            {
                "slug": criterion.slug,
                "text": criterion.text,
                "kind": "items",
                "ready": done >= required,
                "done": done,
                "required": required,
                "evidence": None,
                "summary": f"{done} of {required} linked items done",
                "items": linked,
            }
        )
    measurable = [c for c in criteria if c["kind"] == "items"]
    return {
        "key": key,
        "slug": checkpoint.slug,
        "title": checkpoint.title,
        "month": checkpoint.month,
        "months_away": checkpoint.month - month,
        "ready": sum(1 for c in measurable if c["ready"]),
        "measurable": len(measurable),
        "criteria": criteria,
    }


def next_items(
    document: RoadmapDocument, states: Mapping[str, State], limit: int = 5
) -> list[dict[str, object]]:
    """Items in progress first, then the next untouched items by window."""
    units = sorted(_units(document), key=lambda u: (u.month_start, u.month_end))
    started = [u for u in units if effective_state(states.get(u.key)) == "in_progress"]
    fresh = [u for u in units if effective_state(states.get(u.key)) == "not_started"]
    chosen = (started + fresh)[:limit]
    return [
        {
            "key": u.key,
            "title": u.title,
            "kind": u.kind,
            "state": effective_state(states.get(u.key)),
            "month_start": u.month_start,
            "month_end": u.month_end,
            "phase": u.phase,
        }
        for u in chosen
    ]
