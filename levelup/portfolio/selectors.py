"""The public portfolio, built only from what the learner chose to show.

`public_portfolio` returns a `PublicPortfolio`: plain data holding public facts only. The
page, the share card and the static export render this object and nothing else, so a
private field cannot reach them by a template slip: it is never read into the object.
What is public, per section:

- progress: percent done overall and per phase, titles of the topics done;
- projects: titles and status of started projects, with their evidence's title, links
  and write-up (evidence on topics stays private);
- checkpoints: titles of checkpoints passed (see `checkpoints_passed`);
- hours: study hours per schedule category, all time (no dates, no notes);
- journal: entries the learner marked public;
- reading: titles finished, with the learner's rating (no notes);
- certifications: the ones passed, with credential URL and expiry.

Never public: e-mail, time zone, item notes, session and practice notes, pauses,
unmarked journal entries, reading and certification notes, booked or planned exams,
tokens and calendar feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.safestring import SafeString

from levelup.accounts.models import User
from levelup.journal.models import JournalEntry, StudySession
from levelup.portfolio.models import SECTIONS, PortfolioSettings
from levelup.progress import figures
from levelup.progress.figures import State
from levelup.progress.models import Evidence, ItemProgress
from levelup.progress.rendering import markdown_to_html
from levelup.progress.selectors import default_enrollment, document_of
from levelup.resources.models import Certification, CertificationStatus, ReadingItem
from levelup.roadmaps.schema import RoadmapDocument


@dataclass(frozen=True)
class PublicPhase:
    title: str
    number: int
    percent: float
    topics_done: list[str]
    topics_total: int


@dataclass(frozen=True)
class PublicEvidence:
    title: str
    url: str
    repository_url: str
    writeup_html: SafeString


@dataclass(frozen=True)
class PublicProject:
    title: str
    status: str
    evidence: list[PublicEvidence]


@dataclass(frozen=True)
class PublicCheckpoint:
    title: str
    month: int


@dataclass(frozen=True)
class PublicHours:
    category: str
    hours: float


@dataclass(frozen=True)
class PublicEntry:
    date: dt.date
    title: str
    body_html: SafeString
    tags: list[str]


@dataclass(frozen=True)
class PublicReading:
    title: str
    authors: str
    kind: str
    rating: int | None


@dataclass(frozen=True)
class PublicCertification:
    title: str
    issuer: str
    passed_on: dt.date | None
    credential_url: str
    expires_on: dt.date | None


@dataclass(frozen=True)
class PublicPortfolio:
    """Everything `/u/<username>/` shows; nothing else of the learner is read."""

    username: str
    name: str
    headline: str
    sections: dict[str, bool]
    roadmap_title: str = ""
    journey_month: int = 0
    duration_months: int = 0
    month_label: str = ""
    percent: float | None = None
    phases: list[PublicPhase] = field(default_factory=list)
    projects: list[PublicProject] = field(default_factory=list)
    checkpoints: list[PublicCheckpoint] = field(default_factory=list)
    checkpoints_total: int = 0
    hours: list[PublicHours] = field(default_factory=list)
    hours_total: float = 0.0
    journal: list[PublicEntry] = field(default_factory=list)
    reading: list[PublicReading] = field(default_factory=list)
    certifications: list[PublicCertification] = field(default_factory=list)


def portfolio_settings_of(*, user: User) -> PortfolioSettings:
    """The learner's settings; an unsaved all-off row when they never touched them."""
    found = PortfolioSettings.objects.filter(user=user).first()
    return found or PortfolioSettings(user=user)


def checkpoints_passed(
    document: RoadmapDocument, states: Mapping[str, State], evidence_counts: Mapping[str, int]
) -> list[PublicCheckpoint]:
    """Checkpoints whose readiness is complete: every item criterion met, evidence attached.

    This is the hook for the checkpoints app (issue 12): once checkpoints have frozen
    sign-off records, this function should read those instead (and add the credential).
    """
    passed = []
    for checkpoint in sorted(document.checkpoints, key=lambda c: c.month):
        readiness = figures.checkpoint_readiness(
            document, states, checkpoint.month, evidence_counts
        )
        if readiness is None or readiness["slug"] != checkpoint.slug:
            continue
        criteria = readiness["criteria"]
        assert isinstance(criteria, list)
        items_ok = all(c["ready"] for c in criteria if c["kind"] == "items")
        evidence_ok = all(c["evidence"] for c in criteria if c["kind"] == "evidence")
        if criteria and items_ok and evidence_ok:
            passed.append(PublicCheckpoint(title=checkpoint.title, month=checkpoint.month))
    return passed


def public_portfolio(*, username: str) -> PublicPortfolio | None:
    """The public portfolio of `username`, or None when there is none to show.

    None for an unknown user, a portfolio that is off, or one never turned on: the page
    answers 404 for all three alike, so nobody can probe which accounts exist.
    """
    settings = (
        PortfolioSettings.objects.filter(
            user__username=username, enabled=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if settings is None:
        return None
    user = settings.user
    sections = settings.sections()
    base = {
        "username": user.username,
        "name": user.display_name or user.username,
        "headline": settings.headline,
        "sections": sections,
    }
    enrollment = default_enrollment(user=user)
    extra: dict[str, object] = {}
    if sections["reading"]:
        extra["reading"] = [
            PublicReading(
                title=r.title, authors=r.authors, kind=r.get_kind_display(), rating=r.rating
            )
            for r in ReadingItem.objects.filter(user=user, status="finished").order_by(
                "-finished_on", "id"
            )
        ]
    if sections["certifications"]:
        extra["certifications"] = [
            PublicCertification(
                title=c.title,
                issuer=c.issuer,
                passed_on=c.passed_on,
                credential_url=c.credential_url,
                expires_on=c.expires_on,
            )
            for c in Certification.objects.filter(
                user=user, status=CertificationStatus.PASSED
            ).order_by("-passed_on", "id")
        ]
    if enrollment is None:
        return PublicPortfolio(**base, **extra)  # type: ignore[arg-type]
    document = document_of(enrollment)
    today = user.local_today()
    extra.update(
        roadmap_title=document.title,
        journey_month=figures.journey_month(enrollment.start_date, today),
        duration_months=document.duration_months,
        month_label=today.strftime("%B %Y"),
    )
    needs_states = sections["progress"] or sections["projects"] or sections["checkpoints"]
    states: dict[str, State] = {}
    if needs_states:
        states = {
            key: State(status=status, rating=rating)
            for key, status, rating in ItemProgress.objects.filter(
                enrollment=enrollment
            ).values_list("item_key", "status", "rating")
        }
    if sections["progress"]:
        prog = figures.progress(document, states)
        overall = prog["overall"]
        assert isinstance(overall, dict)
        extra["percent"] = overall["percent"]
        phase_rows = prog["phases"]
        assert isinstance(phase_rows, list)
        percents = {row["slug"]: row["percent"] for row in phase_rows}
        phases = []
        for index, phase in enumerate(document.phases, start=1):
            topics = [t for s in phase.sections for t in s.topics]
            done = [
                t.title
                for t in topics
                if figures.effective_state(states.get(f"topic:{t.slug}")) in figures.READY_STATES
            ]
            phases.append(
                PublicPhase(
                    title=phase.title,
                    number=index,
                    percent=float(percents[phase.slug]),
                    topics_done=done,
                    topics_total=len(topics),
                )
            )
        extra["phases"] = phases
    if sections["projects"]:
        evidence: dict[str, list[PublicEvidence]] = {}
        for ev in Evidence.objects.filter(
            enrollment=enrollment, item_key__startswith="project:"
        ).order_by("created_at", "id"):
            evidence.setdefault(ev.item_key, []).append(
                PublicEvidence(
                    title=ev.title,
                    url=ev.url,
                    repository_url=ev.repository_url,
                    writeup_html=markdown_to_html(ev.writeup),
                )
            )
        projects = []
        for project in document.projects:
            key = f"project:{project.slug}"
            state = figures.effective_state(states.get(key))
            if state in ("not_started", "skipped") and key not in evidence:
                continue
            projects.append(
                PublicProject(
                    title=project.title,
                    status=state.replace("_", " "),
                    evidence=evidence.get(key, []),
                )
            )
        extra["projects"] = projects
    if sections["checkpoints"]:
        counts = {
            row["item_key"]: row["n"]
            for row in Evidence.objects.filter(
                enrollment=enrollment, item_key__startswith="checkpoint:"
            )
            .values("item_key")
            .annotate(n=Count("id"))
            .order_by()
        }
        extra["checkpoints"] = checkpoints_passed(document, states, counts)
        extra["checkpoints_total"] = len(document.checkpoints)
    if sections["hours"]:
        titles = {c.slug: c.title for c in document.weekly_schedule.categories}
        rows = (
            StudySession.objects.filter(enrollment=enrollment)
            .values("category")
            .annotate(minutes=Sum("minutes"))
            .order_by("category")
        )
        hours = [
            PublicHours(
                category=titles.get(r["category"], r["category"]), hours=round(r["minutes"] / 60, 1)
            )
            for r in rows
        ]
        extra["hours"] = hours
        extra["hours_total"] = round(sum(h.hours for h in hours), 1)
    if sections["journal"]:
        extra["journal"] = [
            PublicEntry(
                date=e.date, title=e.title, body_html=markdown_to_html(e.body), tags=list(e.tags)
            )
            for e in JournalEntry.objects.filter(enrollment=enrollment, public=True).order_by(
                "-date", "-id"
            )
        ]
    return PublicPortfolio(**base, **extra)  # type: ignore[arg-type]


__all__ = ["SECTIONS", "PublicPortfolio", "portfolio_settings_of", "public_portfolio"]
