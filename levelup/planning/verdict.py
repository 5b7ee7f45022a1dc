"""The one answer to "am I on track?": the forecast finish against the learner's target.

A pure function of plain dates, so the dashboard, the plan page, the API and the CLI all
show the same object, computed once per request by `selectors.verdict_for`:

* the **forecast** finish is the 50% date of the forecast from the learner's recent weeks
  where there is enough history to make one, else the plan's finish at their weekly hours;
* the **target** is the date the learner aims at (by default the roadmap's own end counted
  from their start date);
* within a week of the target either way is ``on_track``; otherwise ``ahead`` or ``behind``
  by ``weeks``, the whole weeks between the two dates. Before the start date the verdict
  is ``not_started``, during a pause ``paused``, and with nothing left ``finished``; those
  still carry the weeks between forecast and target, so a paused learner sees what the
  pause costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

# Within this many days of the target either way is "on track": weekly hours wobble.
ON_TRACK_DAYS = 7

Status = Literal["not_started", "paused", "finished", "on_track", "ahead", "behind"]
STATUSES: tuple[Status, ...] = (
    "not_started",
    "paused",
    "finished",
    "on_track",
    "ahead",
    "behind",
)
LABELS: dict[Status, str] = {
    "not_started": "Not started",
    "paused": "Paused",
    "finished": "Finished",
    "on_track": "On track",
    "ahead": "Ahead",
    "behind": "Behind",
}


@dataclass(frozen=True, slots=True)
class Finish:
    """The finish dates behind a verdict.

    ``forecast`` is what the verdict compares with ``target``: ``p50`` when the forecast is
    available, else ``planned`` (the plan at the learner's weekly hours). ``p50`` and
    ``p85`` are None until there are enough weeks of history; ``planned`` and ``forecast``
    are None only when the plan cannot finish at all.
    """

    target: date
    forecast: date | None
    planned: date | None
    p50: date | None
    p85: date | None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Where the learner stands against their target, with a sentence saying why."""

    status: Status
    weeks: int | None
    label: str
    reason: str


def short_date(day: date) -> str:
    """A date as the verdict's sentences write it: 8 Jan 2029."""
    return f"{day.day} {day:%b %Y}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _versus(forecast: date, target: date) -> str:
    days = (forecast - target).days
    weeks = abs(days) // 7
    if abs(days) <= ON_TRACK_DAYS:
        return f"within a week of your target of {short_date(target)}"
    side = "after" if days > 0 else "before"
    return f"{_plural(weeks, 'week')} {side} your target of {short_date(target)}"


def judge(
    *,
    today: date,
    start: date,
    finish: Finish,
    weekly_hours: float,
    history_weeks: int,
    paused_until: date | None = None,
    paused: bool = False,
    finished: bool = False,
) -> Verdict:
    """The verdict for one learner (see the module docstring).

    ``history_weeks`` is how many recent weeks the forecast drew from (it names the pace
    in the reason); ``paused`` says a pause covers today, ``paused_until`` its last day
    when known; ``finished`` that nothing is left to do.
    """
    forecast, target = finish.forecast, finish.target
    weeks = abs((forecast - target).days) // 7 if forecast is not None else None
    if finish.p50 is not None:
        basis = f"at your last {_plural(history_weeks, 'week')}' pace"
    else:
        basis = f"at {weekly_hours:g} h a week"

    if finished:
        when = short_date(forecast) if forecast is not None else "now"
        reason = f"Everything is done ({when})"
        if forecast is not None:
            reason += f", {_versus(forecast, target)}"
        return Verdict("finished", weeks, LABELS["finished"], reason + ".")

    if forecast is None:
        outlook = f"{basis} the plan cannot reach the end; raise your weekly hours"
    else:
        outlook = f"{basis} you finish {short_date(forecast)}, {_versus(forecast, target)}"

    if today < start:
        return Verdict(
            "not_started",
            weeks,
            LABELS["not_started"],
            f"You start on {short_date(start)}; {outlook}.",
        )
    if paused:
        until = f" until {short_date(paused_until)}" if paused_until is not None else ""
        return Verdict(
            "paused",
            weeks,
            LABELS["paused"],
            f"You are paused{until}; paused days move your finish: {outlook}.",
        )
    if forecast is None:
        return Verdict("behind", None, LABELS["behind"], outlook[0].upper() + outlook[1:] + ".")

    days = (forecast - target).days
    sentence = outlook[0].upper() + outlook[1:] + "."
    if abs(days) <= ON_TRACK_DAYS:
        return Verdict("on_track", weeks, LABELS["on_track"], sentence)
    status: Status = "behind" if days > 0 else "ahead"
    return Verdict(status, weeks, f"{_plural(weeks or 0, 'week')} {status}", sentence)
