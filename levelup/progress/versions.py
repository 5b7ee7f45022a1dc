"""Reads about moving an enrollment between roadmap versions.

Which newer version is available, what moving would carry and archive for this
learner, and the archive of items a move removed. `services.enrollment_upgrade`
does the move itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from levelup.lib.errors import Invalid
from levelup.progress.models import ArchivedItem, Enrollment, Evidence, ItemProgress, ProgressEvent
from levelup.roadmaps.diff import VersionDiff, follow_renames, version_diff
from levelup.roadmaps.models import RoadmapVersion
from levelup.roadmaps.selectors import Pin, documents_between, version_get


@dataclass(frozen=True)
class ItemKeyUser:
    """An app above progress that stores item keys for an enrollment (the journal).

    `minutes` gives the minutes logged per item key; `move` rewrites keys old → new
    inside the upgrade's transaction. Apps register one in their `ready()`, so
    progress never imports them.
    """

    minutes: Callable[[Enrollment], Mapping[str, int]]
    move: Callable[[Enrollment, Mapping[str, str]], None]


ITEM_KEY_USERS: list[ItemKeyUser] = []


def item_key_user_register(user: ItemKeyUser) -> None:
    """Let `enrollment_upgrade` carry another app's item keys (idempotent per object)."""
    if user not in ITEM_KEY_USERS:
        ITEM_KEY_USERS.append(user)


@dataclass(frozen=True)
class UpgradePlan:
    """What moving an enrollment to `target` does, per item key the learner has data on.

    `carried`: keys (in the target) whose data moves along, `renames`: old → new among
    them, `archived`: old keys whose items the target no longer has.
    """

    enrollment: Enrollment
    target: RoadmapVersion
    diff: VersionDiff
    carried: list[str]
    renames: dict[str, str]
    archived: list[str]
    logged_minutes: dict[str, int]


def _keys_with_data(enrollment: Enrollment) -> tuple[set[str], dict[str, int]]:
    keys = set(
        ItemProgress.objects.filter(enrollment=enrollment).values_list("item_key", flat=True)
    )
    keys |= set(Evidence.objects.filter(enrollment=enrollment).values_list("item_key", flat=True))
    keys |= set(
        ProgressEvent.objects.filter(enrollment=enrollment)
        .exclude(item_key="")
        .values_list("item_key", flat=True)
    )
    minutes: dict[str, int] = {}
    for user in ITEM_KEY_USERS:
        for key, value in user.minutes(enrollment).items():
            if key:
                minutes[key] = minutes.get(key, 0) + value
    keys |= set(minutes)
    return keys, minutes


def enrollment_upgrade_plan(*, enrollment: Enrollment, version: int) -> UpgradePlan:
    """What moving to `version` would carry and archive; nothing is written.

    Only a newer version of the enrollment's own roadmap is a target.
    """
    current = enrollment.version.number
    roadmap = enrollment.roadmap
    if version <= current:
        raise Invalid.for_field(
            "version",
            f"must be newer than the version you are on ({current}); versions only move forward",
        )
    documents = documents_between(roadmap, current, version)
    target = version_get(roadmap, version)
    diff = version_diff(documents[0], documents[1:])
    keys, minutes = _keys_with_data(enrollment)
    where = follow_renames(sorted(keys), documents[1:])
    carried = sorted(new for new in where.values() if new is not None)
    renames = {old: new for old, new in where.items() if new is not None and new != old}
    archived = sorted(old for old, new in where.items() if new is None)
    return UpgradePlan(
        enrollment=enrollment,
        target=target,
        diff=diff,
        carried=carried,
        renames=renames,
        archived=archived,
        logged_minutes=minutes,
    )


def available_version(enrollment: Enrollment) -> RoadmapVersion | None:
    """The roadmap's current version when it is newer than the enrollment's (no query)."""
    current = enrollment.roadmap.current_version
    if current is None or current.number <= enrollment.version.number:
        return None
    return current


def archive_for(enrollment: Enrollment) -> QuerySet[ArchivedItem]:
    """Progress kept from items that a version the learner moved to removed."""
    return ArchivedItem.objects.filter(enrollment=enrollment)


_CHECK = {"done": "x", "skipped": "x"}


def enrollment_markdown(enrollment: Enrollment) -> str:
    """The learner's progress on their version as Markdown with GitHub task-list boxes.

    Done (and skipped, marked as such) items are ticked; notes follow as quotes.
    Archived items are listed at the end so nothing the learner did is missing.
    """
    from levelup.roadmaps.selectors import document_for

    document = document_for(enrollment.version)
    rows = {row.item_key: row for row in ItemProgress.objects.filter(enrollment=enrollment)}
    out = [
        f"# {document.title}: progress of {enrollment.user.username}",
        "",
        f"Version {enrollment.version.number} · started {enrollment.start_date.isoformat()}",
        "",
    ]

    def line(key: str, title: str, indent: str = "") -> None:
        row = rows.get(key)
        status = row.status if row else "not_started"
        box = _CHECK.get(status, " ")
        extra = " (skipped)" if status == "skipped" else ""
        extra += " (in progress)" if status == "in_progress" else ""
        if row and row.rating is not None:
            extra += f" (rated {row.rating}/4)"
        out.append(f"{indent}- [{box}] {title}{extra}")
        if row and row.notes.strip():
            out.extend(f"{indent}  > {text}" for text in row.notes.strip().splitlines())

    for phase in document.phases:
        out += [f"## {phase.title} (months {phase.month_start}-{phase.month_end})", ""]
        for section in phase.sections:
            for topic in section.topics:
                key = f"topic:{topic.slug}"
                line(key, topic.title)
                for sub in topic.subtopics:
                    line(f"{key}/{sub.slug}", sub.title, "  ")
        out.append("")
    if document.projects:
        out += ["## Projects", ""]
        for project in document.projects:
            line(f"project:{project.slug}", project.title)
        out.append("")
    if document.checkpoints:
        out += ["## Checkpoints", ""]
        for checkpoint in document.checkpoints:
            line(f"checkpoint:{checkpoint.slug}", f"Month {checkpoint.month}: {checkpoint.title}")
        out.append("")
    archived = list(archive_for(enrollment))
    if archived:
        out += ["## Archived (removed in a newer version)", ""]
        for item in archived:
            box = _CHECK.get(item.status, " ")
            out.append(
                f"- [{box}] {item.title} (`{item.item_key}`, until version {item.from_version})"
            )
        out.append("")
    return "\n".join(out)


def pin_for(user: Any, roadmap: Any) -> Pin | None:
    """For roadmap pages: the version the user's open enrollment in `roadmap` is pinned to."""
    enrollment = (
        Enrollment.objects.filter(user=user, roadmap=roadmap)
        .exclude(status="archived")
        .select_related("version")
        .order_by("-created_at", "-id")
        .first()
    )
    if enrollment is None:
        return None
    return Pin(version=enrollment.version, enrollment_id=enrollment.pk)


def open_enrollments_by_version(roadmap_id: int) -> dict[int, int]:
    """How many open (active or paused) enrollments pin each version of a roadmap."""
    from django.db.models import Count

    rows = (
        Enrollment.objects.filter(roadmap_id=roadmap_id)
        .exclude(status="archived")
        .values("version__number")
        .annotate(n=Count("id"))
    )
    return {row["version__number"]: row["n"] for row in rows}
