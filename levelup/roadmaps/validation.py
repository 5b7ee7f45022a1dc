"""Whole-document rules on top of the schema's shape checks.

`validate_document` never stops at the first problem: an author fixing a file
wants every error at once, each with the path to the offending value
(`phases[2].sections[0].topics[1].month_end`). Warnings point at things that
are legal but probably unintended; they never block loading.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from levelup.roadmaps.schema import Requirement, RoadmapDocument


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning: where it is and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of validating a document: the model when it is valid, and every problem."""

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


# Pydantic's wording for a failed pattern quotes the regular expression, which
# tells an author little; say what the value must look like instead.
_PATTERN_HINTS = {
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": (
        "must be a slug: lowercase letters and digits, words joined by single hyphens"
    ),
    r"^https?://\S+$": "must be an http:// or https:// address",
    r"^([01]\d|2[0-3]):[0-5]\d$": "must be a time of day as HH:MM (24-hour clock)",
}


def _shape_message(error: Any) -> str:
    if error.get("type") == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        if pattern in _PATTERN_HINTS:
            return _PATTERN_HINTS[pattern]
    if error.get("type") == "extra_forbidden":
        return "is not a field of the roadmap format (see docs/roadmap-format.md)"
    return str(error["msg"])


MAX_PROBLEMS = 200


def validate_document(data: Any) -> ValidationReport:
    """Check a parsed YAML/JSON document; return the model and every problem found.

    Shape problems (missing fields, wrong types) are reported first: the
    whole-document rules need a well-formed document and run once the shape is
    right.
    """
    report = ValidationReport()
    if not isinstance(data, Mapping):
        report.errors.append(Problem("(document)", "a roadmap must be a mapping of fields"))
        return report
    try:
        document = RoadmapDocument.model_validate(data)
    except ValidationError as exc:
        shape_errors = exc.errors(include_url=False)
        locs = [tuple(error["loc"]) for error in shape_errors]
        for error in shape_errors:
            loc = tuple(error["loc"])
            # A list whose entries failed is also reported as "too short" once
            # the failed entries are dropped; the entry's own error says it all.
            if error["type"] == "too_short" and any(
                len(other) > len(loc) and other[: len(loc)] == loc for other in locs
            ):
                continue
            report.errors.append(Problem(format_loc(loc), _shape_message(error)))
        _cap(report.errors)
        return report
    _Checker(document, report).run()
    if not report.errors:
        report.document = document
    _cap(report.errors)
    return report


def _cap(problems: list[Problem]) -> None:
    """Keep the first `MAX_PROBLEMS`; a summary line says how many more there were."""
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        del problems[MAX_PROBLEMS:]
        problems.append(Problem("(document)", f"and {more:,} more problem(s) not listed"))


class _Checker:
    """The cross-field rules, one method per part of the document."""

    def __init__(self, doc: RoadmapDocument, report: ValidationReport) -> None:
        self.doc = doc
        self.report = report
        self.duration = doc.duration_months
        self.item_keys = set(doc.items)
        self.topic_slugs = set(doc.topics)
        self.categories = {c.slug for c in doc.weekly_schedule.categories}

    def error(self, path: str, message: str) -> None:
        self.report.errors.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.report.warnings.append(Problem(path, message))

    def run(self) -> None:
        self.phases()
        self.projects()
        self.checkpoints()
        self.schedule()
        self.other_lists()
        self.prerequisites()
        self.renames()

    # -- helpers ----------------------------------------------------------

    def window(self, path: str, start: int, end: int) -> None:
        last = self.duration
        if start > end:
            self.error(f"{path}.month_end", f"month {end} is before the start (month {start})")
        if start > last:
            self.error(f"{path}.month_start", f"month {start} is after the last month ({last})")
        if end > last:
            self.error(f"{path}.month_end", f"month {end} is after the last month ({last})")

    def unique(self, entries: Iterable[tuple[str, str]], what: str, attr: str = "slug") -> None:
        seen: dict[str, str] = {}
        for path, slug in entries:
            if slug in seen:
                self.error(f"{path}.{attr}", f"duplicate {what} {slug!r} (first at {seen[slug]})")
            else:
                seen[slug] = path

    def known_topics(self, path: str, slugs: Iterable[str]) -> None:
        for n, slug in enumerate(slugs):
            if slug not in self.topic_slugs:
                self.error(f"{path}[{n}]", f"unknown topic {slug!r}")

    def known_category(self, path: str, slug: str | None) -> None:
        if slug is not None and slug not in self.categories:
            self.error(path, f"unknown category {slug!r} (not in weekly_schedule.categories)")

    def known_item(self, path: str, key: str) -> bool:
        if key.startswith("checkpoint:") and key in self.item_keys:
            self.error(path, f"{key!r} is a checkpoint; name topics, subtopics or projects")
            return False
        if key not in self.item_keys:
            self.error(path, f"unknown item {key!r}")
            return False
        return True

    # -- parts of the document ---------------------------------------------

    def phases(self) -> None:
        doc = self.doc
        self.unique(((f"phases[{i}]", p.slug) for i, p in enumerate(doc.phases)), "phase slug")
        sections: list[tuple[str, str]] = []
        topics: list[tuple[str, str]] = []
        for i, phase in enumerate(doc.phases):
            ppath = f"phases[{i}]"
            self.window(ppath, phase.month_start, phase.month_end)
            for j, section in enumerate(phase.sections):
                spath = f"{ppath}.sections[{j}]"
                sections.append((spath, section.slug))
                for k, topic in enumerate(section.topics):
                    tpath = f"{spath}.topics[{k}]"
                    topics.append((tpath, topic.slug))
                    self.window(tpath, topic.month_start, topic.month_end)
                    if topic.month_start < phase.month_start or topic.month_end > phase.month_end:
                        self.warn(
                            tpath,
                            f"months {topic.month_start}-{topic.month_end} reach outside the "
                            f"phase's months {phase.month_start}-{phase.month_end}",
                        )
                    self.known_category(f"{tpath}.category", topic.category)
                    self.unique(
                        (
                            (f"{tpath}.subtopics[{m}]", s.slug)
                            for m, s in enumerate(topic.subtopics)
                        ),
                        "subtopic slug",
                    )
        self.unique(sections, "section slug")
        self.unique(topics, "topic slug")

    def projects(self) -> None:
        doc = self.doc
        levels = {level.slug: level for level in doc.project_levels}
        self.unique(
            ((f"project_levels[{i}]", lv.slug) for i, lv in enumerate(doc.project_levels)),
            "project level slug",
        )
        for i, lv in enumerate(doc.project_levels):
            self.window(f"project_levels[{i}]", lv.month_start, lv.month_end)
        self.unique(
            ((f"projects[{i}]", p.slug) for i, p in enumerate(doc.projects)), "project slug"
        )
        for i, project in enumerate(doc.projects):
            path = f"projects[{i}]"
            self.window(path, project.month_start, project.month_end)
            level = levels.get(project.level)
            if level is None:
                self.error(f"{path}.level", f"unknown project level {project.level!r}")
            elif project.month_start < level.month_start or project.month_end > level.month_end:
                self.warn(
                    path,
                    f"months {project.month_start}-{project.month_end} reach outside level "
                    f"{level.slug!r} (months {level.month_start}-{level.month_end})",
                )
            self.known_category(f"{path}.category", project.category)
            self.known_topics(f"{path}.related_topics", project.related_topics)

    def checkpoints(self) -> None:
        doc = self.doc
        self.unique(
            ((f"checkpoints[{i}]", c.slug) for i, c in enumerate(doc.checkpoints)),
            "checkpoint slug",
        )
        for i, checkpoint in enumerate(doc.checkpoints):
            path = f"checkpoints[{i}]"
            if checkpoint.month > self.duration:
                self.error(
                    f"{path}.month",
                    f"month {checkpoint.month} is after the last month ({self.duration})",
                )
            self.unique(
                ((f"{path}.criteria[{n}]", c.slug) for n, c in enumerate(checkpoint.criteria)),
                "criterion slug",
            )
            for n, criterion in enumerate(checkpoint.criteria):
                self.requirement(f"{path}.criteria[{n}].requirement", criterion.requirement)

    def requirement(self, rpath: str, req: Requirement) -> None:
        if req.kind == "evidence":
            if req.items:
                self.error(f"{rpath}.items", "an evidence requirement names no items")
            if req.minimum is not None:
                self.error(f"{rpath}.minimum", "an evidence requirement has no minimum")
            return
        if not req.items:
            self.error(f"{rpath}.items", "an items requirement names at least one item")
        if req.minimum is not None and req.minimum > len(req.items):
            self.error(
                f"{rpath}.minimum",
                f"asks for {req.minimum} items but names only {len(req.items)}",
            )
        seen: set[str] = set()
        for m, key in enumerate(req.items):
            if key in seen:
                self.error(f"{rpath}.items[{m}]", f"{key!r} is named twice")
            seen.add(key)
            self.known_item(f"{rpath}.items[{m}]", key)

    def schedule(self) -> None:
        schedule = self.doc.weekly_schedule
        base = "weekly_schedule"
        self.min_max(base, schedule.min_hours, schedule.max_hours)
        if schedule.practice_problems_min > schedule.practice_problems_max:
            self.error(
                f"{base}.practice_problems_min",
                f"{schedule.practice_problems_min} is above practice_problems_max "
                f"({schedule.practice_problems_max})",
            )
        self.unique(
            ((f"{base}.categories[{i}]", c.slug) for i, c in enumerate(schedule.categories)),
            "category slug",
        )
        for i, category in enumerate(schedule.categories):
            self.min_max(f"{base}.categories[{i}]", category.min_hours, category.max_hours)
        self.known_category(f"{base}.topic_category", schedule.topic_category)
        self.known_category(f"{base}.project_category", schedule.project_category)
        self.unique(
            ((f"daily_routine[{i}]", s.slot) for i, s in enumerate(self.doc.daily_routine)),
            "routine slot",
            attr="slot",
        )
        for i, slot in enumerate(self.doc.daily_routine):
            self.min_max(f"daily_routine[{i}]", slot.min_hours, slot.max_hours)

    def min_max(self, path: str, low: float, high: float) -> None:
        if low > high:
            self.error(f"{path}.min_hours", f"{low:g} is above max_hours ({high:g})")

    def other_lists(self) -> None:
        doc = self.doc
        lists: list[tuple[str, Iterable[Any], str]] = [
            ("prerequisites", doc.prerequisites, "prerequisite slug"),
            ("how_to_use", doc.how_to_use, "step slug"),
            ("certifications", doc.certifications, "certification slug"),
        ]
        for name, entries, what in lists:
            self.unique(((f"{name}[{i}]", e.slug) for i, e in enumerate(entries)), what)
        for i, cert in enumerate(doc.certifications):
            self.known_topics(f"certifications[{i}].related_topics", cert.related_topics)

    def prerequisites(self) -> None:
        graph: dict[str, tuple[str, ...]] = {}
        paths: dict[str, str] = {}
        for path, key, prereqs in _prerequisite_entries(self.doc):
            paths[key] = path
            graph[key] = prereqs
            for n, ref in enumerate(prereqs):
                ref_path = f"{path}.prerequisites[{n}]"
                if ref == key:
                    self.error(ref_path, "an item cannot require itself")
                else:
                    self.known_item(ref_path, ref)
        for node, cycle in _cycles(graph):
            self.error(f"{paths[node]}.prerequisites", "prerequisite cycle: " + " -> ".join(cycle))

    def renames(self) -> None:
        """`renamed_from` names earlier keys of the same kind, each claimed once."""
        claimed: dict[str, str] = {}
        for path, key, old_keys in _rename_entries(self.doc):
            kind = key.partition(":")[0]
            for n, old in enumerate(old_keys):
                old_path = f"{path}.renamed_from[{n}]"
                old_kind = old.partition(":")[0]
                if old_kind != kind or (("/" in old) != ("/" in key)):
                    self.error(old_path, f"{old!r} is not the key of a {_kind_word(key)}")
                elif old in self.item_keys:
                    self.error(old_path, f"{old!r} is still an item of this roadmap")
                elif old in claimed:
                    self.error(old_path, f"{old!r} is already renamed at {claimed[old]}")
                else:
                    claimed[old] = old_path


def _kind_word(key: str) -> str:
    if key.startswith("topic:"):
        return "subtopic" if "/" in key else "topic"
    return key.partition(":")[0]


def _rename_entries(doc: RoadmapDocument) -> list[tuple[str, str, tuple[str, ...]]]:
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for i, phase in enumerate(doc.phases):
        for j, section in enumerate(phase.sections):
            for k, topic in enumerate(section.topics):
                tpath = f"phases[{i}].sections[{j}].topics[{k}]"
                out.append((tpath, f"topic:{topic.slug}", topic.renamed_from))
                for m, sub in enumerate(topic.subtopics):
                    out.append(
                        (
                            f"{tpath}.subtopics[{m}]",
                            f"topic:{topic.slug}/{sub.slug}",
                            sub.renamed_from,
                        )
                    )
    for i, project in enumerate(doc.projects):
        out.append((f"projects[{i}]", f"project:{project.slug}", project.renamed_from))
    for i, checkpoint in enumerate(doc.checkpoints):
        out.append((f"checkpoints[{i}]", f"checkpoint:{checkpoint.slug}", checkpoint.renamed_from))
    return [entry for entry in out if entry[2]]


def _prerequisite_entries(doc: RoadmapDocument) -> list[tuple[str, str, tuple[str, ...]]]:
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


def _cycles(graph: Mapping[str, tuple[str, ...]]) -> list[tuple[str, list[str]]]:
    """Every distinct prerequisite cycle, as (the item that closes it, the keys around it).

    Iterative depth-first search with colours, so a long chain of
    prerequisites cannot exhaust Python's recursion limit.
    """
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    found: list[tuple[str, list[str]]] = []
    reported: set[frozenset[str]] = set()

    def edges(node: str) -> Iterable[str]:
        return (n for n in graph.get(node, ()) if n in graph and n != node)

    for root in graph:
        if colour[root] != white:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(edges(root)))]
        path = [root]
        colour[root] = grey
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                colour[node] = black
            elif colour[child] == grey:
                cycle = [*path[path.index(child) :], child]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    found.append((node, cycle))
            elif colour[child] == white:
                colour[child] = grey
                path.append(child)
                stack.append((child, iter(edges(child))))
    return found
