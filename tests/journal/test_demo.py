"""The demo extension: seven months of consistent, valid data, added once."""

from __future__ import annotations

import datetime as dt

from levelup.journal import demo, selectors
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.journal.validation import category_slugs, document_of
from levelup.progress.models import Pause


def test_demo_adds_seven_months_of_valid_data_once(mine, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC), tick=False)
    demo.extend(mine)
    sessions = StudySession.objects.filter(enrollment=mine)
    count = sessions.count()
    assert count > 250
    # From the enrollment's first week (it starts on 5 January) for about seven months.
    assert dt.date(2026, 1, 5) <= sessions.order_by("date").first().date <= dt.date(2026, 1, 11)
    assert sessions.order_by("-date").first().date <= dt.date(2026, 8, 6)
    document = document_of(mine)
    assert set(sessions.values_list("category", flat=True)) <= set(category_slugs(document))
    assert set(sessions.exclude(item_key="").values_list("item_key", flat=True)) <= set(
        document.items
    )
    assert all(1 <= m <= 960 for m in sessions.values_list("minutes", flat=True))

    problems = PracticeProblem.objects.filter(enrollment=mine)
    assert problems.count() > 50
    assert not problems.filter(session__isnull=True).exists()  # every problem's time is one session
    assert JournalEntry.objects.filter(enrollment=mine).count() >= 5

    review = selectors.weekly_review(mine, "2026-W30")
    assert review["total_minutes"] > 0 and review["practice"]["count"] >= 0

    demo.extend(mine)
    assert StudySession.objects.filter(enrollment=mine).count() == count


def test_demo_goes_quiet_during_pauses_and_stops_at_today(mine, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 30, 12, tzinfo=dt.UTC), tick=False)
    Pause.objects.create(
        enrollment=mine, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 21)
    )
    demo.extend(mine)
    assert not PracticeProblem.objects.filter(
        date__range=(dt.date(2026, 3, 1), dt.date(2026, 3, 21))
    ).exists()
    in_pause = StudySession.objects.filter(
        date__range=(dt.date(2026, 3, 1), dt.date(2026, 3, 21))
    ).count()
    before = StudySession.objects.filter(
        date__range=(dt.date(2026, 2, 1), dt.date(2026, 2, 21))
    ).count()
    assert in_pause < before / 3
    assert StudySession.objects.order_by("-date").first().date <= dt.date(2026, 4, 30)
