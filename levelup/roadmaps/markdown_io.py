"""Roadmaps as README-style Markdown, in and out. Pure: no Django, no ORM.

**Import** reads the structure people already write roadmaps in:

- `# Title`, then a `> summary` quote;
- `### Phase 1: Foundation (Months 1-6)` headings, each followed by bullets:
  a top-level bullet is a topic, the bullets under it its subtopics;
- an overview table whose rows start with `Phase N` gives each phase's focus
  and key skills;
- a `Projects` section of `### <Level> Projects (Months a-b)` headings with
  numbered `**Title** - description` entries;
- bullets `**6-Month Checkpoint**: criterion, criterion` under a checkpoint heading;
- `**Category**: 6-8 hours` bullets under a `Weekly Schedule` heading;
- optional `Prerequisites`, `How to Use`, `Books`, `Online Platforms`,
  `Certifications` and `License` sections.

Whatever the importer cannot place becomes a warning naming its lines; nothing
is dropped silently. **Export** writes the same structure, and ends with the
exact document in a fenced `levelup-roadmap` YAML block, so exporting and
importing again gives back the same document even for fields Markdown has no
place for (efforts, prerequisites, resources, requirements).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from levelup.roadmaps.safeparse import decode_text, parse_yaml
from levelup.roadmaps.schema import RoadmapDocument

FENCE = "levelup-roadmap"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)(?:[*+-]|\d+[.)])\s+(.*\S)\s*$")
_MONTHS = re.compile(r"\(\s*months?\s+(\d+)\s*(?:[-–—]|to)\s*(\d+)\s*\)", re.IGNORECASE)
_PHASE = re.compile(r"\bphase\s+(\d+)\s*[:.–—-]\s*(.+)$", re.IGNORECASE)
_BOLD = re.compile(r"^\*\*(.+?)\*\*\s*(?:[:–—-]\s*(.*))?$")
_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[-–—]|to)\s*(\d+(?:\.\d+)?)\s*h", re.IGNORECASE)
_CHECKPOINT_MONTH = re.compile(r"(\d+)[\s-]*months?", re.IGNORECASE)
_BOOK = re.compile(r"^[\"“]?(.+?)[\"”]?\s+by\s+(.+)$")


@dataclass
class ImportResult:
    """The document as plain data, and a warning for every line not placed."""

    data: dict[str, Any]
    warnings: list[dict[str, str]] = field(default_factory=list)


def _slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].strip("-") or "item"


def _clean(text: str) -> str:
    """A heading or bullet without leading emoji, links' markup and emphasis."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    words = text.split()
    # Leading emoji (or what is left of them after a wrong decoding) carry no words.
    while words and not re.search(r"[A-Za-z0-9]", words[0]):
        words.pop(0)
    return " ".join(words)


def _unbold(text: str) -> str:
    return text.replace("**", "").replace("__", "").strip()


class _Slugs:
    def __init__(self) -> None:
        self.seen: set[str] = set()

    def make(self, text: str) -> str:
        base = _slugify(text)
        slug, n = base, 1
        while slug in self.seen:
            n += 1
            slug = f"{base[:76]}-{n}"
        self.seen.add(slug)
        return slug


@dataclass
class _Block:
    level: int
    title: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


def _blocks(text: str) -> tuple[list[_Block], str | None]:
    """Split into heading blocks; a fenced `levelup-roadmap` block is taken out whole."""
    blocks = [_Block(0, "", 0)]
    fenced: list[str] | None = None
    exact: str | None = None
    in_other_fence = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if fenced is not None:
            if stripped.startswith("```"):
                exact = "\n".join(fenced)
                fenced = None
            else:
                fenced.append(raw)
            continue
        if stripped.startswith("```"):
            if stripped[3:].strip() == FENCE:
                fenced = []
                continue
            in_other_fence = not in_other_fence
        if not in_other_fence:
            match = _HEADING.match(raw)
            if match:
                blocks.append(_Block(len(match.group(1)), _clean(match.group(2)), number))
                continue
        blocks[-1].lines.append((number, raw))
    return blocks, exact


class _Importer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.warnings: list[dict[str, str]] = []
        self.topic_slugs = _Slugs()
        self.data: dict[str, Any] = {}

    def warn(self, line: int, message: str, *, last: int | None = None) -> None:
        where = f"line {line}" if last is None or last == line else f"lines {line}-{last}"
        self.warnings.append({"field": where, "line": str(line), "message": message})

    def unplaced(self, block: _Block, why: str) -> None:
        content = [(n, t) for n, t in block.lines if t.strip() and t.strip() != "---"]
        if content:
            self.warn(content[0][0], f"{why}; not imported", last=content[-1][0])

    def run(self) -> dict[str, Any]:
        blocks, _ = _blocks(self.text)
        phases: list[dict[str, Any]] = []
        overview: dict[int, tuple[str, list[str]]] = {}
        levels: list[dict[str, Any]] = []
        projects: list[dict[str, Any]] = []
        checkpoints: list[dict[str, Any]] = []
        categories: list[dict[str, Any]] = []
        project_slugs = _Slugs()
        parents: list[str] = []
        title = "Imported roadmap"
        summary = ""
        licence = ""
        for block in blocks:
            while parents and len(parents) >= max(block.level, 1):
                parents.pop()
            context = " ".join(p.lower() for p in parents)
            lowered = block.title.lower()
            if block.level == 1 and not self.data.get("title"):
                title = block.title or title
                self.data["title"] = title
                summary = self._summary(block)
            elif block.level == 0:
                self.unplaced(block, "text before the first heading")
            elif (heading := _PHASE.search(block.title)) and _MONTHS.search(block.title):
                phases.append(self._phase(block, heading))
            elif "phase" in lowered and self._table(block, overview):
                pass
            elif "project" in context and _MONTHS.search(block.title):
                self._projects(block, levels, projects, project_slugs)
            elif "checkpoint" in lowered:
                checkpoints.extend(self._checkpoints(block))
            elif "weekly schedule" in lowered or ("weekly" in lowered and "schedule" in lowered):
                categories.extend(self._schedule(block))
            elif lowered.startswith("prerequisite"):
                self.data["prerequisites"] = self._steps(block)
            elif lowered.startswith("how to use"):
                self.data["how_to_use"] = self._steps(block)
            elif lowered == "books":
                self.data.setdefault("resources", {})["books"] = self._books(block)
            elif "platform" in lowered:
                self.data.setdefault("resources", {})["platforms"] = self._platforms(block)
            elif lowered.startswith("certification"):
                self.data["certifications"] = self._certifications(block)
            elif lowered.startswith("licen"):
                licence = self._licence(block)
            elif any(c for _, c in block.lines if c.strip() and c.strip() != "---"):
                self.unplaced(block, f"section {block.title!r} has no place in a roadmap")
            if block.level >= 1:
                parents.append(block.title)
        for phase in phases:
            number = phase.pop("_number")
            if number in overview:
                focus, skills = overview[number]
                phase["focus"] = focus or phase["focus"]
                if skills:
                    phase["key_skills"] = skills
        months = [p["month_end"] for p in phases] + [p["month_end"] for p in projects]
        months += [c["month"] for c in checkpoints]
        data: dict[str, Any] = {
            "slug": _slugify(title),
            "title": title,
            "summary": summary,
            "duration_months": max(months, default=1),
            "version": "1.0",
        }
        if licence:
            data["licence"] = licence
        for key in ("prerequisites", "how_to_use"):
            if self.data.get(key):
                data[key] = self.data[key]
        data["phases"] = phases
        if levels:
            data["project_levels"] = levels
        if projects:
            data["projects"] = projects
        if checkpoints:
            data["checkpoints"] = checkpoints
        data["weekly_schedule"] = self._week(categories)
        if self.data.get("resources"):
            data["resources"] = self.data["resources"]
        if self.data.get("certifications"):
            data["certifications"] = self.data["certifications"]
        return data

    # -- the parts ---------------------------------------------------------

    def _summary(self, block: _Block) -> str:
        quotes = [t.strip()[1:].strip() for _, t in block.lines if t.strip().startswith(">")]
        rest = [(n, t) for n, t in block.lines if t.strip() and not t.strip().startswith(">")]
        if rest:
            self.warn(rest[0][0], "text under the title other than the > summary", last=rest[-1][0])
        return " ".join(q for q in quotes if q)

    def _phase(self, block: _Block, match: re.Match[str]) -> dict[str, Any]:
        months = _MONTHS.search(block.title)
        assert months is not None
        start, end = int(months.group(1)), int(months.group(2))
        name = _MONTHS.sub("", match.group(2)).strip()
        slug = _slugify(name)
        topics: list[dict[str, Any]] = []
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            if not bullet:
                if raw.strip():
                    self.warn(number, "text in a phase that is not a bullet")
                continue
            depth = len(bullet.group(1).replace("\t", "    "))
            text = _unbold(bullet.group(2))
            if depth == 0:
                topics.append(
                    {
                        "slug": self.topic_slugs.make(text),
                        "title": text,
                        "month_start": start,
                        "month_end": end,
                        "subtopics": [],
                    }
                )
            elif not topics:
                self.warn(number, "an indented bullet before any topic")
            else:
                subs = topics[-1]["subtopics"]
                used = {s["slug"] for s in subs}
                sub_slug = _slugify(text)
                n = 1
                while sub_slug in used:
                    n += 1
                    sub_slug = f"{_slugify(text)[:76]}-{n}"
                if depth > 4:
                    self.warn(number, "bullets deeper than subtopics are read as subtopics")
                subs.append({"slug": sub_slug, "title": text})
        for topic in topics:
            if not topic["subtopics"]:
                del topic["subtopics"]
        if not topics:
            self.warn(block.line, f"phase {name!r} has no topics")
        return {
            "_number": int(match.group(1)),
            "slug": slug,
            "title": name,
            "month_start": start,
            "month_end": end,
            "focus": name,
            "sections": [{"slug": f"{slug}-topics", "title": name, "topics": topics}],
        }

    def _table(self, block: _Block, overview: dict[int, tuple[str, list[str]]]) -> bool:
        found = False
        for number, raw in block.lines:
            cells = [_unbold(c) for c in raw.strip().strip("|").split("|")]
            if len(cells) >= 3 and (m := re.match(r"phase\s+(\d+)$", cells[0], re.IGNORECASE)):
                skills = (
                    [s.strip() for s in cells[3].split(",") if s.strip()] if len(cells) > 3 else []
                )
                overview[int(m.group(1))] = (cells[2], skills)
                found = True
            elif raw.strip() and not raw.strip().startswith("|"):
                self.warn(number, "text beside the phase overview table")
        return found

    def _projects(
        self,
        block: _Block,
        levels: list[dict[str, Any]],
        projects: list[dict[str, Any]],
        slugs: _Slugs,
    ) -> None:
        months = _MONTHS.search(block.title)
        assert months is not None
        start, end = int(months.group(1)), int(months.group(2))
        name = _MONTHS.sub("", block.title).strip()
        level_slug = _slugify(re.sub(r"\bprojects?\b", "", name, flags=re.IGNORECASE))
        levels.append({"slug": level_slug, "title": name, "month_start": start, "month_end": end})
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            if not bullet:
                if raw.strip():
                    self.warn(number, "text in a project level that is not a list entry")
                continue
            bold = _BOLD.match(bullet.group(2).strip())
            title, description = (
                (bold.group(1), bold.group(2) or "") if bold else (bullet.group(2), "")
            )
            projects.append(
                {
                    "slug": slugs.make(title),
                    "title": _unbold(title),
                    "level": level_slug,
                    "month_start": start,
                    "month_end": end,
                    "description": description.strip() or _unbold(title),
                }
            )

    def _checkpoints(self, block: _Block) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            if not bullet:
                if raw.strip():
                    self.warn(number, "text in the checkpoints that is not a bullet")
                continue
            text = _clean(bullet.group(2))
            bold = _BOLD.match(text)
            month = _CHECKPOINT_MONTH.search(bold.group(1) if bold else text)
            if not bold or not month:
                self.warn(number, "a checkpoint needs '**N-Month Checkpoint**: criteria'")
                continue
            criteria_text = [c.strip() for c in (bold.group(2) or "").split(",") if c.strip()]
            if not criteria_text:
                criteria_text = [bold.group(1)]
            used = _Slugs()
            out.append(
                {
                    "slug": f"month-{int(month.group(1))}",
                    "month": int(month.group(1)),
                    "title": bold.group(1),
                    "criteria": [
                        {"slug": used.make(c), "text": c, "requirement": {"kind": "evidence"}}
                        for c in criteria_text
                    ],
                }
            )
        return out

    def _schedule(self, block: _Block) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            bold = _BOLD.match(bullet.group(2).strip()) if bullet else None
            hours = _HOURS.search(bold.group(2) or "") if bold else None
            if bold and hours:
                out.append(
                    {
                        "slug": _slugify(bold.group(1)),
                        "title": bold.group(1),
                        "min_hours": float(hours.group(1)),
                        "max_hours": float(hours.group(2)),
                    }
                )
            elif raw.strip():
                self.warn(number, "a schedule line needs '**Category**: 6-8 hours'")
        return out

    def _week(self, categories: list[dict[str, Any]]) -> dict[str, Any]:
        if not categories:
            self.warn(1, "no weekly schedule found; a 'Study' category of 5-10 hours is assumed")
            categories = [{"slug": "study", "title": "Study", "min_hours": 5, "max_hours": 10}]
        project = next((c for c in categories if "project" in c["slug"]), categories[-1])
        return {
            "min_hours": sum(c["min_hours"] for c in categories),
            "max_hours": sum(c["max_hours"] for c in categories),
            "categories": categories,
            "topic_category": categories[0]["slug"],
            "project_category": project["slug"],
        }

    def _steps(self, block: _Block) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        used = _Slugs()
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            if not bullet:
                if raw.strip():
                    self.warn(number, f"text in {block.title!r} that is not a list entry")
                continue
            bold = _BOLD.match(bullet.group(2).strip())
            if bold and bold.group(2):
                out.append(
                    {
                        "slug": used.make(bold.group(1)),
                        "title": bold.group(1),
                        "text": bold.group(2),
                    }
                )
            else:
                text = _unbold(bullet.group(2))
                out.append({"slug": used.make(text), "text": text})
        return out

    def _books(self, block: _Block) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            book = _BOOK.match(_unbold(bullet.group(2))) if bullet else None
            if book:
                authors = [a.strip() for a in re.split(r",| and ", book.group(2)) if a.strip()]
                out.append({"title": book.group(1), "authors": authors})
            elif raw.strip():
                self.warn(number, "a book needs '\"Title\" by Author'")
        return out

    def _platforms(self, block: _Block) -> list[dict[str, Any]]:
        kinds = ("courses", "practice", "documentation", "communities")
        out: list[dict[str, Any]] = []
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            bold = _BOLD.match(bullet.group(2).strip()) if bullet else None
            if bold and bold.group(2):
                kind = bold.group(1).strip().lower()
                kind = kind if kind in kinds else "other"
                out.extend(
                    {"name": name.strip(), "kind": kind}
                    for name in bold.group(2).split(",")
                    if name.strip()
                )
            elif raw.strip():
                self.warn(number, "a platform line needs '**Kind**: name, name'")
        return out

    def _certifications(self, block: _Block) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        used = _Slugs()
        for number, raw in block.lines:
            bullet = _BULLET.match(raw)
            if bullet:
                text = _unbold(bullet.group(2))
                out.append({"slug": used.make(text), "title": text})
            elif raw.strip():
                self.warn(number, "text in the certifications that is not a bullet")
        return out

    def _licence(self, block: _Block) -> str:
        for _, raw in block.lines:
            match = re.search(r"\b([A-Z][A-Za-z0-9.-]*)\s+Licen[cs]e\b", raw)
            if match:
                return match.group(1)
        self.unplaced(block, "no licence name found")
        return ""


def markdown_to_document(text: bytes | str) -> ImportResult:
    """Read a README-style roadmap; a fenced `levelup-roadmap` block wins when present."""
    decoded = decode_text(text)
    _, exact = _blocks(decoded)
    if exact is not None:
        data = parse_yaml(exact)
        if isinstance(data, dict):
            return ImportResult(data=data)
    importer = _Importer(decoded)
    return ImportResult(data=importer.run(), warnings=importer.warnings)


# --- export ---------------------------------------------------------------------


def _months(start: int, end: int) -> str:
    return f"(Months {start}-{end})"


def document_to_markdown(document: RoadmapDocument, data: dict[str, Any]) -> str:
    """README-style Markdown of a document, ending with the exact document (see module doc)."""
    out: list[str] = [f"# {document.title}", ""]
    if document.summary:
        out += [f"> {' '.join(document.summary.split())}", ""]
    out += ["## Roadmap Overview", "", "| Phase | Duration | Focus Area | Key Skills |"]
    out += ["| --- | --- | --- | --- |"]
    for n, phase in enumerate(document.phases, start=1):
        skills = ", ".join(phase.key_skills)
        out.append(
            f"| **Phase {n}** | Months {phase.month_start}-{phase.month_end} | "
            f"{phase.focus} | {skills} |"
        )
    out += ["", "## Learning Phases", ""]
    for n, phase in enumerate(document.phases, start=1):
        out += [f"### Phase {n}: {phase.title} {_months(phase.month_start, phase.month_end)}", ""]
        for section in phase.sections:
            for topic in section.topics:
                out.append(f"* **{topic.title}**")
                out += [f"  * {sub.title}" for sub in topic.subtopics]
        out.append("")
    if document.projects:
        out += ["## Projects", ""]
        for level in document.project_levels:
            out += [f"### {level.title} {_months(level.month_start, level.month_end)}", ""]
            entries = [p for p in document.projects if p.level == level.slug]
            for i, project in enumerate(entries, start=1):
                description = " ".join(project.description.split())
                out.append(f"{i}. **{project.title}** - {description}")
            out.append("")
    if document.checkpoints:
        out += ["## Progress Tracking", "", "### Checkpoint System", ""]
        for checkpoint in document.checkpoints:
            criteria = ", ".join(c.text for c in checkpoint.criteria)
            out.append(f"* **{checkpoint.month}-Month Checkpoint: {checkpoint.title}**: {criteria}")
        out.append("")
    out += ["### Weekly Schedule", ""]
    for category in document.weekly_schedule.categories:
        out.append(f"* **{category.title}**: {category.min_hours:g}-{category.max_hours:g} hours")
    out += ["", f"```{FENCE}", yaml.safe_dump(data, sort_keys=False, allow_unicode=True).rstrip()]
    out += ["```", ""]
    return "\n".join(out)
