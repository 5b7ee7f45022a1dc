"""Public pages: home, roadmap, topic, project.

Each page reads one roadmap with one query; the parsed document comes from the
per-process cache in `selectors.document_for`, so query counts do not depend on
how big the roadmap is. The small helpers below only reshape the document for
templates (grouping, link targets, requirement wording).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from levelup.lib.errors import NotFound
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.schema import Checkpoint, Phase, Project, RoadmapDocument, Topic
from levelup.roadmaps.selectors import (
    can_edit,
    document_for,
    pinned_version,
    roadmap_get,
    roadmap_list,
    version_get,
)
from levelup.roadmaps.timeline import phase_colour

# --- presentation helpers -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str
    key: str


@dataclass(frozen=True, slots=True)
class CriterionView:
    slug: str
    text: str
    kind: str
    summary: str  # "2 of 3", "All of", "Evidence"
    links: tuple[Link, ...]


def months_label(start: int, end: int) -> str:
    return f"Month {start}" if start == end else f"Months {start}–{end}"


def item_link(slug: str, document: RoadmapDocument, key: str) -> Link:
    """Where an item key points on the site; unknown keys link to the roadmap page."""
    detail = reverse("roadmaps:detail", args=[slug])
    item = document.items.get(key)
    if item is None:
        return Link(title=key, url=detail, key=key)
    if item.kind == "topic":
        url = reverse("roadmaps:topic", args=[slug, key.removeprefix("topic:")])
    elif item.kind == "subtopic":
        topic_slug, _, sub_slug = key.removeprefix("topic:").partition("/")
        url = reverse("roadmaps:topic", args=[slug, topic_slug]) + f"#sub-{sub_slug}"
    elif item.kind == "project":
        url = reverse("roadmaps:project", args=[slug, key.removeprefix("project:")])
    else:
        url = f"{detail}#checkpoint-{key.removeprefix('checkpoint:')}"
    return Link(title=item.title, url=url, key=key)


def criteria_views(
    slug: str, document: RoadmapDocument, checkpoint: Checkpoint
) -> list[CriterionView]:
    """Each criterion with what it takes, in words: "2 of 3", "All of", "Evidence"."""
    views = []
    for criterion in checkpoint.criteria:
        requirement = criterion.requirement
        links = tuple(item_link(slug, document, key) for key in requirement.items)
        if requirement.kind == "evidence":
            summary = "Evidence"
        elif requirement.minimum is None or requirement.minimum >= len(links):
            summary = "All of" if len(links) > 1 else "Requires"
        else:
            summary = f"{requirement.minimum} of {len(links)}"
        views.append(
            CriterionView(
                slug=criterion.slug,
                text=criterion.text,
                kind=requirement.kind,
                summary=summary,
                links=links,
            )
        )
    return views


def category_title(document: RoadmapDocument, slug: str | None) -> str:
    """A weekly-schedule category's title ("Theory & Learning") for its slug."""
    if slug is None:
        return ""
    found = next((c for c in document.weekly_schedule.categories if c.slug == slug), None)
    return found.title if found else slug


def _phase_index(document: RoadmapDocument, phase: Phase | None) -> int:
    if phase is None:
        return 0
    return next(i for i, p in enumerate(document.phases) if p.slug == phase.slug)


def _projects_by_level(document: RoadmapDocument) -> list[dict[str, Any]]:
    """Projects grouped under their levels, in the author's level order."""
    groups: list[dict[str, Any]] = []
    known = {level.slug for level in document.project_levels}
    for level in document.project_levels:
        projects = [p for p in document.projects if p.level == level.slug]
        if projects:
            groups.append(
                {
                    "level": level,
                    "months": months_label(level.month_start, level.month_end),
                    "projects": projects,
                }
            )
    # Validation requires known levels, but never hide a project if one slips through.
    stray = [p for p in document.projects if p.level not in known]
    if stray:
        groups.append({"level": None, "months": "", "projects": stray})
    return groups


def _referencing_criteria(
    slug: str, document: RoadmapDocument, keys: set[str]
) -> list[tuple[Checkpoint, CriterionView]]:
    found = []
    for checkpoint in document.checkpoints:
        for view in criteria_views(slug, document, checkpoint):
            if any(link.key in keys for link in view.links):
                found.append((checkpoint, view))
    return found


def _document_or_404(
    request: HttpRequest, slug: str
) -> tuple[Roadmap, RoadmapDocument, dict[str, Any]]:
    """The roadmap as this visitor should see it (private ones are 404 to all but the owner).

    An enrolled learner sees the version their enrollment is pinned to until they
    move, so every page and control agrees with their progress; `?version=N` shows
    any other version. The third value is the context about the version shown.
    """
    try:
        roadmap = roadmap_get(slug, viewer=request.user)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    shown = roadmap.current_version
    wanted = request.GET.get("version", "")
    enrollment = pinned_version(user=request.user, roadmap=roadmap)
    if wanted.isdigit():
        try:
            shown = version_get(roadmap, int(wanted))
        except NotFound as exc:
            raise Http404(str(exc)) from None
    elif enrollment is not None:
        shown = enrollment.version
    assert shown is not None
    return roadmap, document_for(shown), _studio_context(request, roadmap, shown, enrollment)


def _studio_context(
    request: HttpRequest, roadmap: Roadmap, shown: RoadmapVersion, enrollment: Any
) -> dict[str, Any]:
    """The version shown, a newer one the learner could move to, and who may edit."""
    current = roadmap.current_version
    newer = (
        current
        if enrollment is not None and current is not None and current.number > shown.number
        else None
    )
    return {
        "shown_version": shown,
        "is_current_version": current is not None and shown.pk == current.pk,
        "newer_version": newer,
        "studio_enrollment": enrollment,
        "can_edit": can_edit(roadmap, request.user),
    }


# --- views ----------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    # The list page needs titles only; the stored documents can be large.
    roadmaps = list(roadmap_list(viewer=request.user).defer("current_version__document"))
    return render(request, "roadmaps/home.html", {"roadmaps": roadmaps})


def roadmap_detail(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap, document, studio = _document_or_404(request, slug)
    phases = [
        {
            "phase": phase,
            "colour": phase_colour(index),
            "months": months_label(phase.month_start, phase.month_end),
        }
        for index, phase in enumerate(document.phases)
    ]
    checkpoints = [
        {"checkpoint": checkpoint, "criteria": criteria_views(slug, document, checkpoint)}
        for checkpoint in document.checkpoints
    ]
    platform_kinds: dict[str, list[Any]] = {}
    for platform in document.resources.platforms:
        platform_kinds.setdefault(platform.kind, []).append(platform)
    context = {
        "roadmap": roadmap,
        "document": document,
        "counts": document.counts(),
        "phases": phases,
        "project_groups": _projects_by_level(document),
        "checkpoints": checkpoints,
        "platform_kinds": sorted(platform_kinds.items()),
        "version": studio["shown_version"],
        **studio,
    }
    return render(request, "roadmaps/detail.html", context)


def topic_detail(request: HttpRequest, slug: str, topic_slug: str) -> HttpResponse:
    roadmap, document, studio = _document_or_404(request, slug)
    topic: Topic | None = document.topics.get(topic_slug)
    if topic is None:
        raise Http404(f"no topic {topic_slug!r} in roadmap {slug!r}")
    key = f"topic:{topic.slug}"
    ref = document.items[key]
    phase = document.phase_of(key)
    section = None
    if phase is not None:
        section = next((s for s in phase.sections if s.slug == ref.section), None)
    subtopics = [
        {
            "subtopic": sub,
            "key": f"{key}/{sub.slug}",
            "prerequisites": [item_link(slug, document, k) for k in sub.prerequisites],
        }
        for sub in topic.subtopics
    ]
    keys = {key, *document.subtopic_keys(key)}
    context = {
        "roadmap": roadmap,
        "document": document,
        "topic": topic,
        "item_key": key,
        "phase": phase,
        "phase_colour": phase_colour(_phase_index(document, phase)),
        "section": section,
        "months": months_label(topic.month_start, topic.month_end),
        "category": category_title(document, ref.category),
        "subtopics": subtopics,
        "prerequisites": [item_link(slug, document, k) for k in topic.prerequisites],
        "projects": [p for p in document.projects if topic.slug in p.related_topics],
        "criteria": _referencing_criteria(slug, document, keys),
        "certifications": [c for c in document.certifications if topic.slug in c.related_topics],
        **studio,
    }
    return render(request, "roadmaps/topic.html", context)


def project_detail(request: HttpRequest, slug: str, project_slug: str) -> HttpResponse:
    roadmap, document, studio = _document_or_404(request, slug)
    project: Project | None = document.project_map.get(project_slug)
    if project is None:
        raise Http404(f"no project {project_slug!r} in roadmap {slug!r}")
    key = f"project:{project.slug}"
    level = next((lv for lv in document.project_levels if lv.slug == project.level), None)
    context = {
        "roadmap": roadmap,
        "document": document,
        "project": project,
        "item_key": key,
        "level": level,
        "months": months_label(project.month_start, project.month_end),
        "category": category_title(document, document.items[key].category),
        "related_topics": [item_link(slug, document, f"topic:{t}") for t in project.related_topics],
        "prerequisites": [item_link(slug, document, k) for k in project.prerequisites],
        "criteria": _referencing_criteria(slug, document, {key}),
        **studio,
    }
    return render(request, "roadmaps/project.html", context)


def openapi_redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/api/v1/openapi.json")


def docs_redirect(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/api/v1/docs")
