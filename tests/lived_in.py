"""A learner with a little of everything, every private field holding a marker.

Used by the privacy test (the marker must never appear on the public portfolio or its
card) and by the API tests of export and deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from levelup.accounts.models import User
from levelup.journal import services as journal
from levelup.planning.services import calendar_feed_create
from levelup.portfolio.services import portfolio_update
from levelup.progress import services as progress
from levelup.progress.models import Enrollment
from levelup.resources import services as resources
from levelup.roadmaps.services import BUILTIN_SLUG

MARKER = "PRIVATE-MARKER-7f3a"
TOPIC = "topic:advanced-nodejs"
PROJECT = "project:rest-api-with-auth"


@dataclass
class LivedIn:
    user: User
    enrollment: Enrollment
    feed_secret: str


def lived_in(user: User, *, marker: str = MARKER, public: bool = True) -> LivedIn:
    """Enroll `user` in the built-in roadmap and give them data of every kind.

    Private fields (e-mail, notes, session notes, practice titles, pause reason, an
    unmarked journal entry, topic evidence, reading and certification notes, a booked
    exam) hold `marker`; the public ones (project evidence, a public entry, a finished
    book, a passed certification) hold ordinary words.
    """
    user.email = f"{marker.lower()}@example.com"
    user.time_zone = "Europe/Berlin"
    user.save()
    start = date(2026, 6, 1)
    enrollment = progress.enrollment_create(user=user, roadmap_slug=BUILTIN_SLUG, start_date=start)
    progress.item_update(
        enrollment=enrollment, actor=user, item_key=TOPIC, status="done", notes=f"note {marker}"
    )
    progress.item_update(
        enrollment=enrollment,
        actor=user,
        item_key=PROJECT,
        status="in_progress",
        notes=f"project notes {marker}",
    )
    progress.evidence_add(
        enrollment=enrollment,
        actor=user,
        item_key=PROJECT,
        title="Auth API on GitHub",
        repository_url="https://example.com/repo",
        writeup="Built **JWT** sign-in.",
    )
    progress.evidence_add(
        enrollment=enrollment,
        actor=user,
        item_key=TOPIC,
        title=f"topic evidence {marker}",
        url=f"https://example.com/{marker}",
    )
    progress.enrollment_pause(
        enrollment=enrollment,
        actor=user,
        start_date=start + timedelta(days=10),
        end_date=start + timedelta(days=14),
        reason=f"holiday {marker}",
    )
    journal.study_session_log(
        enrollment=enrollment,
        minutes=90,
        category="theory",
        date=start + timedelta(days=2),
        note=f"session {marker}",
    )
    journal.practice_problem_log(
        enrollment=enrollment,
        platform="leetcode",
        title=f"Two sum {marker}",
        difficulty="easy",
        outcome="solved",
        date=start + timedelta(days=3),
        minutes=20,
    )
    journal.journal_entry_create(
        enrollment=enrollment,
        title=f"Private entry {marker}",
        body=f"secret {marker}",
        date=start + timedelta(days=4),
    )
    journal.journal_entry_create(
        enrollment=enrollment,
        title="What I learned about streams",
        body="Back-pressure.",
        date=start + timedelta(days=5),
        public=True,
        tags=["nodejs"],
    )
    resources.reading_item_add(
        user=user,
        source_key="book:clean-code",
        status="finished",
        rating=5,
        note=f"book note {marker}",
    )
    resources.reading_item_add(user=user, title=f"Own private title {marker}", status="want")
    resources.certification_add(
        user=user,
        title=f"Booked exam {marker}",
        status="booked",
        exam_date=date(2027, 3, 1),
        note=f"cert note {marker}",
    )
    resources.certification_add(
        user=user,
        title="CKAD",
        issuer="CNCF",
        status="passed",
        passed_on=date(2026, 10, 1),
        credential_url="https://example.com/credential",
        note=f"passed note {marker}",
    )
    _, secret = calendar_feed_create(enrollment=enrollment)
    if public:
        portfolio_update(
            user=user,
            enabled=True,
            headline="Backend learner",
            sections={
                name: True
                for name in (
                    "progress",
                    "projects",
                    "checkpoints",
                    "hours",
                    "journal",
                    "reading",
                    "certifications",
                )
            },
        )
    return LivedIn(user=user, enrollment=enrollment, feed_secret=secret)
