"""Whole-document rules on top of the schema's shape checks.

`validate_document` never stops at the first problem: an author fixing a file
wants every error at once, each with the path to the offending value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from levelup.roadmaps.schema import RoadmapDocument


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class ValidationReport:
    document: RoadmapDocument | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not self.errors


def format_loc(loc: Iterable[int | str]) -> str:
    """('phases', 2, 'sections', 0) -> 'phases[2].sections[0]'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(document)"


def validate_document(data: Any) -> ValidationReport:
    """Check a parsed YAML/JSON document; return the model and every problem found."""
    report = ValidationReport()
    if not isinstance(data, Mapping):
        report.errors.append(Problem("(document)", "a roadmap must be a mapping of fields"))
        return report
    try:
        document = RoadmapDocument.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            report.errors.append(Problem(format_loc(error["loc"]), error["msg"]))
        # Shape errors hide the document, but the cross-checks below can still
        # run on a best-effort parse; that would report noise, so stop here.
        return report
    _check(document, report)
    if not report.errors:
        report.document = document
    return report


def _check(doc: RoadmapDocument, report: ValidationReport) -> None:
    err = report.errors.append
    duration = doc.duration_months

    def window(path: str, start: int, end: int) -> None:
        if start > end:
            err(Problem(f"{path}.month_end", f"ends in month {end}, before it starts (month {start})"))
        if end > duration:
            err(
                Problem(
                    f"{path}.month_end",
                    f"month {end} is after the roadmap's last month ({duration})",
                )
            )
        if start > duration:
            err(
                Problem(
                    f"{path}.month_start",
                    f"month {start} is after the roadmap's last month ({duration})",
                )
            )

    def unique(path: str, slugs: Iterable[tuple[str, str]], what: str) -> None:
        seen: dict[str, str] = {}
        for item_path, slug in slugs:
            if slug in seen:
                err(Problem(f"{item_path}.slug", f"duplicate {what} slug {slug!r} (first at {seen[slug]})"))
            else:
                seen[slug] = item_path

    # Windows and duplicates -------------------------------------------------
    unique("phases", ((f"phases[{i}]", p.slug) for i, p in enumerate(doc.phases)), "phase")
    topic_slugs: list[tuple[str, str]] = []
    section_slugs: list[tuple[str, str]] = []
    for i, phase in enumerate(doc.phases):
        ppath = f"phases[{i}]"
        window(ppath, phase.month_start, phase.month_end)
        for j, section in enumerate(phase.sections):
            spath = f"{ppath}.sections[{j}]"
            section_slugs.append((spath, section.slug))
            for k, topic in enumerate(section.topics):
                tpath = f"{spath}.topics[{k}]"
                topic_slugs.append((tpath, topic.slug))
                window(tpath, topic.month_start, topic.month_end)
                if topic.month_start < phase.month_start or topic.month_end > phase.month_end:
                    report.warnings.append(
                        Problem(
                            tpath,
                            f"window months {topic.month_start}-{topic.month_end} lies outside its "
                            f"phase's months {phase.month_start}-{phase.month_end}",
                        )
                    )
                unique(
                    tpath,
                    ((f"{tpath}.subtopics[{m}]", s.slug) for m, s in enumerate(topic.subtopics)),
                    "subtopic",
                )
    unique("sections", section_slugs, "section")
    unique("topics", topic_slugs, "topic")

    level_slugs = {level.slug for level in doc.project_levels}
    unique(
        "project_levels",
        ((f"project_levels[{i}]", lv.slug) for i, lv in enumerate(doc.project_levels)),
        "project level",
    )
    for i, level in enumerate(doc.project_levels):
        window(f"project_levels[{i}]", level.month_start, level.month_end)
    unique("projects", ((f"projects[{i}]", p.slug) for i, p in enumerate(doc.projects)), "project")
    topic_set = {slug for _, slug in topic_slugs}
    for i, project in enumerate(doc.projects):
        path = f"projects[{i}]"
        window(path, project.month_start, project.month_end)
        if project.level not in level_slugs:
            err(Problem(f"{path}.level", f"unknown project level {project.level!r}"))
        for n, slug in enumerate(project.related_topics):
            if slug not in topic_set:
                err(Problem(f"{path}.related_topics[{n}]", f"unknown topic {slug!r}"))

    unique(
        "checkpoints",
        ((f"checkpoints[{i}]", c.slug) for i, c in enumerate(doc.checkpoints)),
        "checkpoint",
    )
    item_keys = set(doc.items)
    for i, checkpoint in enumerate(doc.checkpoints):
        path = f"checkpoints[{i}]"
        if checkpoint.month > duration:
            err(
                Problem(
                    f"{path}.month",
                    f"month {checkpoint.month} is after the roadmap's last month ({duration})",
                )
            )
        unique(
            path,
            ((f"{path}.criteria[{n}]", c.slug) for n, c in enumerate(checkpoint.criteria)),
            "criterion",
        )
        for n, criterion in enumerate(checkpoint.criteria):
            rpath = f"{path}.criteria[{n}].requirement"
            req = criterion.requirement
            if req.kind == "items":
                if not req.items:
                    err(Problem(f"{rpath}.items", "an items requirement needs at least one item"))
                if req.minimum is not None and req.minimum > len(req.items):
                    err(
                        Problem(
                            f"{rpath}.minimum",
                            f"asks for {req.minimum} items but names only {len(req.items)}",
                        )
                    )
            elif req.items or req.minimum is not None:
                err(Problem(rpath, "an evidence requirement names no items and no minimum"))
            for m, key in enumerate(req.items):
                if key not in item_keys or key.startswith("checkpoint:"):
                    err(Problem(f"{rpath}.items[{m}]", f"unknown item {key!r}"))

    for i, cert in enumerate(doc.certifications):
        for n, slug in enumerate(cert.related_topics):
            if slug not in topic_set:
                err(Problem(f"certifications[{i}].related_topics[{n}]", f"unknown topic {slug!r}"))
    unique(
        "certifications",
        ((f"certifications[{i}]", c.slug) for i, c in enumerate(doc.certifications)),
        "certification",
    )
    unique(
        "prerequisites",
        ((f"prerequisites[{i}]", p.slug) for i, p in enumerate(doc.prerequisites)),
        "prerequisite",
    )
    unique("how_to_use", ((f"how_to_use[{i}]", s.slug) for i, s in enumerate(doc.how_to_use)), "step")

    # Schedule ------------------------------------------------------------------
    schedule = doc.weekly_schedule
    if schedule.min_hours > schedule.max_hours:
        err(
            Problem(
                "weekly_schedule.min_hours",
                f"{schedule.min_hours:g} is above max_hours {schedule.max_hours:g}",
            )
        )
    if schedule.practice_problems_min > schedule.practice_problems_max:
        err(Problem("weekly_schedule.practice_problems_min", "is above practice_problems_max"))
    categories = set()
    for i, cat in enumerate(schedule.categories):
        path = f"weekly_schedule.categories[{i}]"
        if cat.min_hours > cat.max_hours:
            err(Problem(f"{path}.min_hours", f"{cat.min_hours:g} is above max_hours {cat.max_hours:g}"))
        if cat.slug in categories:
            err(Problem(f"{path}.slug", f"duplicate category slug {cat.slug!r}"))
        categories.add(cat.slug)
    for name in ("topic_category", "project_category"):
        value = getattr(schedule, name)
        if value not in categories:
            err(Problem(f"weekly_schedule.{name}", f"unknown category {value!r}"))
    for i, phase in enumerate(doc.phases):
        for j, section in enumerate(phase.sections):
            for k, topic in enumerate(section.topics):
                if topic.category is not None and topic.category not in categories:
                    err(
                        Problem(
                            f"phases[{i}].sections[{j}].topics[{k}].category",
                            f"unknown category {topic.category!r}",
                        )
                    )
    for i, project in enumerate(doc.projects):
        if project.category is not None and project.category not in categories:
            err(Problem(f"projects[{i}].category", f"unknown category {project.category!r}"))
    for i, slot in enumerate(doc.daily_routine):
        if slot.min_hours > slot.max_hours:
            err(
                Problem(
                    f"daily_routine[{i}].min_hours",
                    f"{slot.min_hours:g} is above max_hours {slot.max_hours:g}",
                )
            )

    _check_prerequisites(doc, item_keys, report)


def _prerequisite_paths(doc: RoadmapDocument) -> list[tuple[str, str, tuple[str, ...]]]:
    """(path, item key, prerequisites) for every item that can have prerequisites."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for i, phase in enumerate(doc.phases):
        for j, section in enumerate(phase.sections):
            for k, topic in enumerate(section.topics):
                tpath = f"phases[{i}].sections[{j}].topics[{k}]"
                tkey = f"topic:{topic.slug}"
                out.append((tpath, tkey, topic.prerequisites))
                for m, sub in enumerate(topic.subtopics):
                    out.append((f"{tpath}.subtopics[{m}]", f"{tkey}/{sub.slug}", sub.prerequisites))
    for i, project in enumerate(doc.projects):
        out.append((f"projects[{i}]", f"project:{project.slug}", project.prerequisites))
    return out


def _check_prerequisites(doc: RoadmapDocument, item_keys: set[str], report: ValidationReport) -> None:
    graph: dict[str, tuple[str, ...]] = {}
    paths: dict[str, str] = {}
    for path, key, prereqs in _prerequisite_paths(doc):
        paths[key] = path
        graph[key] = prereqs
        for n, ref in enumerate(prereqs):
            if ref not in item_keys or ref.startswith("checkpoint:"):
                report.errors.append(Problem(f"{path}.prerequisites[{n}]", f"unknown item {ref!r}"))
            elif ref == key:
                report.errors.append(Problem(f"{path}.prerequisites[{n}]", "an item cannot require itself"))

    # Depth-first search with colours; each cycle is reported once, at the
    # item where it was closed, listing the items around it.
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        colour[node] = grey
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph or nxt == node:
                continue
            if colour[nxt] == grey:
                cycle = [*stack[stack.index(nxt) :], nxt]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    report.errors.append(
                        Problem(
                            f"{paths[node]}.prerequisites",
                            "prerequisite cycle: " + " -> ".join(cycle),
                        )
                    )
            elif colour[nxt] == white:
                visit(nxt, stack)
        stack.pop()
        colour[node] = black

    for node in graph:
        if colour[node] == white:
            visit(node, [])
