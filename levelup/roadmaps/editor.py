"""The structured editor's form: the common edits as named fields over a document. Pure.

`editor_fields` lays a document out as rows of named inputs (titles, windows,
efforts, slugs, a remove box and a position for each topic, subtopic and
project; checkpoint titles and months; criteria texts with a remove box; the
weekly schedule) and "add" inputs for a topic, a subtopic, a project and a
criterion. `editor_apply` applies a posted
form back onto the document's data and says which input each document path
belongs to, so a validation problem can be shown next to its field. Changing a
slug records the old item key in `renamed_from`, so learners' progress follows.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Input:
    name: str
    label: str
    value: str
    kind: str = "text"  # text, number, checkbox
    path: str = ""


@dataclass
class Row:
    """One thing on the form: a phase, section, topic, subtopic, project, criterion, category."""

    kind: str
    title: str
    depth: int
    inputs: list[Input] = field(default_factory=list)
    add: Input | None = None  # "add a subtopic/topic here"


def _s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def editor_fields(data: Mapping[str, Any]) -> list[Row]:
    """The rows of the structured editor for a document's data."""
    rows: list[Row] = [
        Row(
            "roadmap",
            "Roadmap",
            0,
            [
                Input("doc-title", "Title", _s(data.get("title")), path="title"),
                Input("doc-version", "Version label", _s(data.get("version")), path="version"),
                Input(
                    "doc-duration",
                    "Months",
                    _s(data.get("duration_months")),
                    "number",
                    "duration_months",
                ),
            ],
        )
    ]
    for i, phase in enumerate(data.get("phases", [])):
        base = f"phases[{i}]"
        rows.append(
            Row(
                "phase",
                phase["title"],
                0,
                [
                    Input(f"p{i}-title", "Phase title", _s(phase["title"]), path=f"{base}.title"),
                    Input(
                        f"p{i}-start",
                        "From month",
                        _s(phase["month_start"]),
                        "number",
                        f"{base}.month_start",
                    ),
                    Input(
                        f"p{i}-end",
                        "To month",
                        _s(phase["month_end"]),
                        "number",
                        f"{base}.month_end",
                    ),
                ],
            )
        )
        for j, section in enumerate(phase.get("sections", [])):
            sbase = f"{base}.sections[{j}]"
            rows.append(
                Row(
                    "section",
                    section["title"],
                    1,
                    [
                        Input(
                            f"p{i}s{j}-title",
                            "Section title",
                            _s(section["title"]),
                            path=f"{sbase}.title",
                        )
                    ],
                    add=Input(f"p{i}s{j}-newtopic", "Add a topic (title)", ""),
                )
            )
            for k, topic in enumerate(section.get("topics", [])):
                tbase = f"{sbase}.topics[{k}]"
                t = f"t-{topic['slug']}"
                rows.append(
                    Row(
                        "topic",
                        topic["title"],
                        2,
                        [
                            Input(
                                f"{t}-title",
                                "Topic title",
                                _s(topic["title"]),
                                path=f"{tbase}.title",
                            ),
                            Input(f"{t}-slug", "Slug", topic["slug"], path=f"{tbase}.slug"),
                            Input(
                                f"{t}-start",
                                "From month",
                                _s(topic["month_start"]),
                                "number",
                                f"{tbase}.month_start",
                            ),
                            Input(
                                f"{t}-end",
                                "To month",
                                _s(topic["month_end"]),
                                "number",
                                f"{tbase}.month_end",
                            ),
                            Input(
                                f"{t}-effort",
                                "Effort (h)",
                                _s(topic.get("effort_hours")),
                                "number",
                                f"{tbase}.effort_hours",
                            ),
                            Input(f"{t}-pos", "Position", str(k + 1), "number"),
                            Input(f"{t}-remove", "Remove", "", "checkbox"),
                        ],
                        add=Input(f"{t}-newsub", "Add a subtopic (title)", ""),
                    )
                )
                for m, sub in enumerate(topic.get("subtopics", [])):
                    ubase = f"{tbase}.subtopics[{m}]"
                    u = f"{t}--{sub['slug']}"
                    rows.append(
                        Row(
                            "subtopic",
                            sub["title"],
                            3,
                            [
                                Input(
                                    f"{u}-title",
                                    "Subtopic title",
                                    _s(sub["title"]),
                                    path=f"{ubase}.title",
                                ),
                                Input(f"{u}-pos", "Position", str(m + 1), "number"),
                                Input(f"{u}-remove", "Remove", "", "checkbox"),
                            ],
                        )
                    )
    rows.append(Row("projects", "Projects", 0, add=Input("pr-new", "Add a project (title)", "")))
    for i, project in enumerate(data.get("projects", [])):
        base = f"projects[{i}]"
        p = f"pr-{project['slug']}"
        rows.append(
            Row(
                "project",
                project["title"],
                1,
                [
                    Input(
                        f"{p}-title", "Project title", _s(project["title"]), path=f"{base}.title"
                    ),
                    Input(
                        f"{p}-start",
                        "From month",
                        _s(project["month_start"]),
                        "number",
                        f"{base}.month_start",
                    ),
                    Input(
                        f"{p}-end",
                        "To month",
                        _s(project["month_end"]),
                        "number",
                        f"{base}.month_end",
                    ),
                    Input(f"{p}-pos", "Position", str(i + 1), "number"),
                    Input(f"{p}-remove", "Remove", "", "checkbox"),
                ],
            )
        )
    for i, checkpoint in enumerate(data.get("checkpoints", [])):
        base = f"checkpoints[{i}]"
        c = f"c-{checkpoint['slug']}"
        rows.append(
            Row(
                "checkpoint",
                checkpoint["title"],
                0,
                [
                    Input(
                        f"cp-{checkpoint['slug']}-title",
                        "Checkpoint title",
                        _s(checkpoint["title"]),
                        path=f"{base}.title",
                    ),
                    Input(
                        f"cp-{checkpoint['slug']}-month",
                        "Month",
                        _s(checkpoint["month"]),
                        "number",
                        f"{base}.month",
                    ),
                ],
                add=Input(
                    f"cp-{checkpoint['slug']}-newcriterion",
                    "Add a criterion (what the learner shows)",
                    "",
                ),
            )
        )
        for j, criterion in enumerate(checkpoint.get("criteria", [])):
            name = f"{c}-{criterion['slug']}"
            rows.append(
                Row(
                    "criterion",
                    f"{checkpoint['title']}: criterion {j + 1}",
                    1,
                    [
                        Input(
                            name,
                            "Criterion",
                            _s(criterion["text"]),
                            path=f"{base}.criteria[{j}].text",
                        ),
                        Input(f"{name}-remove", "Remove", "", "checkbox"),
                    ],
                )
            )
    week = data.get("weekly_schedule", {})
    rows.append(
        Row(
            "schedule",
            "Weekly schedule",
            0,
            [
                Input(
                    "w-min",
                    "Week: min hours",
                    _s(week.get("min_hours")),
                    "number",
                    "weekly_schedule.min_hours",
                ),
                Input(
                    "w-max",
                    "Week: max hours",
                    _s(week.get("max_hours")),
                    "number",
                    "weekly_schedule.max_hours",
                ),
            ],
        )
    )
    for i, category in enumerate(week.get("categories", [])):
        base = f"weekly_schedule.categories[{i}]"
        rows.append(
            Row(
                "category",
                category["title"],
                1,
                [
                    Input(
                        f"wc-{category['slug']}-min",
                        "Min hours",
                        _s(category["min_hours"]),
                        "number",
                        f"{base}.min_hours",
                    ),
                    Input(
                        f"wc-{category['slug']}-max",
                        "Max hours",
                        _s(category["max_hours"]),
                        "number",
                        f"{base}.max_hours",
                    ),
                ],
            )
        )
    return rows


def _number(raw: str) -> Any:
    """An int or float when the text is one; the text itself otherwise (validation says why)."""
    text = raw.strip()
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _slug_of(title: str, taken: set[str]) -> str:
    import re

    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70] or "item"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _ordered(entries: list[dict[str, Any]], positions: list[str]) -> list[dict[str, Any]]:
    keyed = []
    for index, (entry, raw) in enumerate(zip(entries, positions, strict=True)):
        position = _number(raw)
        keyed.append((position if isinstance(position, int | float) else index + 1, index, entry))
    return [entry for _, _, entry in sorted(keyed, key=lambda t: (t[0], t[1]))]


def editor_apply(data: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The document's data with the posted edits applied (not validated here)."""
    doc: dict[str, Any] = copy.deepcopy(dict(data))

    def get(name: str, current: Any) -> Any:
        return form.get(name, current)

    renames: dict[str, str] = {}
    doc["title"] = get("doc-title", doc.get("title"))
    doc["version"] = get("doc-version", doc.get("version"))
    doc["duration_months"] = _number(get("doc-duration", _s(doc.get("duration_months"))))
    topic_slugs = {
        t["slug"] for p in doc.get("phases", []) for s in p["sections"] for t in s["topics"]
    }
    for i, phase in enumerate(doc.get("phases", [])):
        phase["title"] = get(f"p{i}-title", phase["title"])
        phase["month_start"] = _number(get(f"p{i}-start", _s(phase["month_start"])))
        phase["month_end"] = _number(get(f"p{i}-end", _s(phase["month_end"])))
        for j, section in enumerate(phase.get("sections", [])):
            section["title"] = get(f"p{i}s{j}-title", section["title"])
            kept: list[dict[str, Any]] = []
            positions: list[str] = []
            for topic in section["topics"]:
                t = f"t-{topic['slug']}"
                if form.get(f"{t}-remove"):
                    continue
                positions.append(form.get(f"{t}-pos", ""))
                old_slug = topic["slug"]
                topic["title"] = get(f"{t}-title", topic["title"])
                new_slug = str(get(f"{t}-slug", old_slug)).strip()
                if new_slug != old_slug:
                    topic["slug"] = new_slug
                    renamed = list(topic.get("renamed_from", []))
                    if f"topic:{old_slug}" not in renamed:
                        renamed.append(f"topic:{old_slug}")
                    topic["renamed_from"] = renamed
                    renames[old_slug] = new_slug
                topic["month_start"] = _number(get(f"{t}-start", _s(topic["month_start"])))
                topic["month_end"] = _number(get(f"{t}-end", _s(topic["month_end"])))
                effort = _number(get(f"{t}-effort", _s(topic.get("effort_hours"))))
                if effort is None:
                    topic.pop("effort_hours", None)
                else:
                    topic["effort_hours"] = effort
                subs: list[dict[str, Any]] = []
                sub_positions: list[str] = []
                for sub in topic.get("subtopics", []):
                    u = f"{t}--{sub['slug']}"
                    if form.get(f"{u}-remove"):
                        continue
                    sub["title"] = get(f"{u}-title", sub["title"])
                    subs.append(sub)
                    sub_positions.append(form.get(f"{u}-pos", ""))
                subs = _ordered(subs, sub_positions)
                new_sub = form.get(f"{t}-newsub", "").strip()
                if new_sub:
                    taken = {s["slug"] for s in subs}
                    subs.append({"slug": _slug_of(new_sub, taken), "title": new_sub})
                if subs or "subtopics" in topic:
                    topic["subtopics"] = subs
                kept.append(topic)
            section["topics"] = _ordered(kept, positions)
            new_topic = form.get(f"p{i}s{j}-newtopic", "").strip()
            if new_topic:
                section["topics"].append(
                    {
                        "slug": _slug_of(new_topic, topic_slugs),
                        "title": new_topic,
                        "month_start": phase["month_start"],
                        "month_end": phase["month_end"],
                    }
                )
    projects: list[dict[str, Any]] = []
    project_positions: list[str] = []
    for project in doc.get("projects", []):
        p = f"pr-{project['slug']}"
        if form.get(f"{p}-remove"):
            continue
        project["title"] = get(f"{p}-title", project["title"])
        project["month_start"] = _number(get(f"{p}-start", _s(project["month_start"])))
        project["month_end"] = _number(get(f"{p}-end", _s(project["month_end"])))
        projects.append(project)
        project_positions.append(form.get(f"{p}-pos", ""))
    projects = _ordered(projects, project_positions)
    new_project = form.get("pr-new", "").strip()
    if new_project:
        projects.append(_new_project(doc, new_project, {p["slug"] for p in projects}))
    if projects or "projects" in doc:
        doc["projects"] = projects
    for checkpoint in doc.get("checkpoints", []):
        c = f"c-{checkpoint['slug']}"
        cp = f"cp-{checkpoint['slug']}"
        checkpoint["title"] = get(f"{cp}-title", checkpoint["title"])
        checkpoint["month"] = _number(get(f"{cp}-month", _s(checkpoint["month"])))
        criteria = []
        for criterion in checkpoint.get("criteria", []):
            name = f"{c}-{criterion['slug']}"
            if form.get(f"{name}-remove"):
                continue
            criterion["text"] = get(name, criterion["text"])
            criteria.append(criterion)
        new_criterion = form.get(f"{cp}-newcriterion", "").strip()
        if new_criterion:
            taken = {k["slug"] for k in criteria}
            # A new criterion is judged by a mentor on the learner's evidence; tying it
            # to items is done in the text editor.
            criteria.append(
                {
                    "slug": _slug_of(new_criterion, taken),
                    "text": new_criterion,
                    "requirement": {"kind": "evidence"},
                }
            )
        # Removing every criterion leaves an empty list, which validation refuses
        # next to the checkpoint ("at least 1 item").
        checkpoint["criteria"] = criteria
    if renames:
        _rewrite_references(doc, renames)
    week = doc.get("weekly_schedule")
    if isinstance(week, dict):
        week["min_hours"] = _number(get("w-min", _s(week.get("min_hours"))))
        week["max_hours"] = _number(get("w-max", _s(week.get("max_hours"))))
        for category in week.get("categories", []):
            c = f"wc-{category['slug']}"
            category["min_hours"] = _number(get(f"{c}-min", _s(category["min_hours"])))
            category["max_hours"] = _number(get(f"{c}-max", _s(category["max_hours"])))
    return doc


def _new_project(doc: Mapping[str, Any], title: str, taken: set[str]) -> dict[str, Any]:
    """A project added by title: in the first level, over that level's months."""
    levels = doc.get("project_levels") or []
    level = levels[0] if levels else {}
    return {
        "slug": _slug_of(title, taken),
        "title": title,
        "level": level.get("slug", ""),
        "month_start": level.get("month_start", 1),
        "month_end": level.get("month_end", doc.get("duration_months", 1)),
        "description": title,
    }


def _rewrite_references(doc: dict[str, Any], renames: Mapping[str, str]) -> None:
    """Point prerequisites, requirements and related topics at renamed topic slugs."""

    def key(value: str) -> str:
        if not value.startswith("topic:"):
            return value
        slug, slash, rest = value.removeprefix("topic:").partition("/")
        return f"topic:{renames.get(slug, slug)}{slash}{rest}"

    def fix(entry: dict[str, Any]) -> None:
        if "prerequisites" in entry:
            entry["prerequisites"] = [key(k) for k in entry["prerequisites"]]
        if "related_topics" in entry:
            entry["related_topics"] = [renames.get(t, t) for t in entry["related_topics"]]

    for phase in doc.get("phases", []):
        for section in phase.get("sections", []):
            for topic in section.get("topics", []):
                fix(topic)
                for sub in topic.get("subtopics", []):
                    fix(sub)
    for entry in [*doc.get("projects", []), *doc.get("certifications", [])]:
        fix(entry)
    for checkpoint in doc.get("checkpoints", []):
        for criterion in checkpoint.get("criteria", []):
            requirement = criterion.get("requirement", {})
            if "items" in requirement:
                requirement["items"] = [key(k) for k in requirement["items"]]


def field_for_paths(rows: list[Row]) -> dict[str, str]:
    """Which input shows a document path's problems."""
    return {inp.path: inp.name for row in rows for inp in row.inputs if inp.path}
