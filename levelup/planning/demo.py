"""Demo data for the plan: `extend(enrollment)` is called by `levelup demo`.

The plan needs no data of its own (it follows the progress and the journal the other
demo extensions wrote, which run first), so this only turns on the calendar feed, with an
evening study time that differs from the roadmap's default, and warms the plan cache so
the first page view is instant. The feed's secret is not kept: the demo learner makes a
new address on the plan page to see it. Running it twice is safe.
"""

from __future__ import annotations

from levelup.planning import selectors, services
from levelup.progress.models import Enrollment


def extend(enrollment: Enrollment) -> None:
    """Turn on the demo learner's calendar feed and compute their plan once."""
    feed, _secret = services.calendar_feed_create(enrollment=enrollment)
    slots = {slot.slot for slot in selectors.routine_slots(enrollment, None)}
    if "evening" in slots:
        services.calendar_times_set(feed=feed, times={"evening": "19:30"})
    selectors.plan_for(enrollment)
