"""Three-way merge of roadmap documents by item key, for forks taking upstream updates. Pure.

The documents are cut into units that each have a stable identity: every
topic, subtopic, project and checkpoint (by item key), every phase and
section (by slug), and every other top-level field. For each unit, with the
fork's base (the upstream version it last took in), ours (the fork now) and
theirs (the upstream's new version):

- ours and theirs agree: keep it;
- only theirs changed it since the base (edited, added or removed): take theirs;
- only ours changed it: keep ours;
- both changed it differently: a conflict, shown side by side; the owner picks
  a side for each before the merge can be published.

A unit's place (a topic's section, a subtopic's topic) is part of it, so a move
upstream is taken like any other edit. The merged document keeps the fork's
order and appends what upstream added in upstream's order.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Unit = dict[str, Any]


@dataclass(frozen=True)
class MergeConflict:
    key: str
    base: Unit | None
    ours: Unit | None
    theirs: Unit | None


@dataclass
class MergeResult:
    data: dict[str, Any]
    conflicts: list[MergeConflict] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)  # upstream changes applied
    kept: list[str] = field(default_factory=list)  # the fork's own changes kept


def _units(doc: Mapping[str, Any] | None) -> dict[str, Unit]:
    """Every unit of a document by identity, in document order."""
    if not doc:
        return {}
    units: dict[str, Unit] = {}
    for name, value in doc.items():
        if name not in ("phases", "projects", "checkpoints", "slug"):
            units[f"doc:{name}"] = {"value": copy.deepcopy(value)}
    for phase in doc.get("phases", []):
        units[f"phase:{phase['slug']}"] = {k: v for k, v in phase.items() if k != "sections"}
        for section in phase.get("sections", []):
            units[f"section:{section['slug']}"] = {
                **{k: v for k, v in section.items() if k != "topics"},
                "_phase": phase["slug"],
            }
            for topic in section.get("topics", []):
                key = f"topic:{topic['slug']}"
                units[key] = {
                    **{k: v for k, v in topic.items() if k != "subtopics"},
                    "_section": section["slug"],
                    "_has_subtopics": "subtopics" in topic,
                }
                for sub in topic.get("subtopics", []):
                    units[f"{key}/{sub['slug']}"] = {**sub, "_topic": key}
    for project in doc.get("projects", []):
        units[f"project:{project['slug']}"] = dict(project)
    for checkpoint in doc.get("checkpoints", []):
        units[f"checkpoint:{checkpoint['slug']}"] = dict(checkpoint)
    return units


def _order(ours: list[str], theirs: list[str], keep: set[str]) -> list[str]:
    seen = [k for k in ours if k in keep]
    return seen + [k for k in theirs if k in keep and k not in seen]


def merge_documents(
    *,
    base: Mapping[str, Any] | None,
    ours: Mapping[str, Any],
    theirs: Mapping[str, Any],
    choices: Mapping[str, str] | None = None,
) -> MergeResult:
    """Merge `theirs` into `ours` since `base`; `choices` settle conflicts ("ours"/"theirs")."""
    b, o, t = _units(base), _units(ours), _units(theirs)
    choices = choices or {}
    merged: dict[str, Unit] = {}
    result = MergeResult(data={})
    for key in list(dict.fromkeys([*o, *t, *b])):
        bu, ou, tu = b.get(key), o.get(key), t.get(key)
        if ou == tu:
            chosen = ou
        elif ou == bu:
            chosen = tu
            result.taken.append(key)
        elif tu == bu:
            chosen = ou
            result.kept.append(key)
        else:
            choice = choices.get(key, "")
            if choice == "theirs":
                chosen = tu
            elif choice == "ours":
                chosen = ou
            else:
                result.conflicts.append(MergeConflict(key, bu, ou, tu))
                chosen = ou
        if chosen is not None:
            merged[key] = chosen
    result.data = _rebuild(merged, list(o), list(t), ours)
    return result


def _rebuild(
    merged: dict[str, Unit], ours: list[str], theirs: list[str], our_doc: Mapping[str, Any]
) -> dict[str, Any]:
    keep = set(merged)
    order = _order(ours, theirs, keep)
    data: dict[str, Any] = {"slug": our_doc.get("slug")}
    for key in order:
        if key.startswith("doc:"):
            data[key[4:]] = merged[key]["value"]
    phases = []
    for pkey in [k for k in order if k.startswith("phase:")]:
        phase = dict(merged[pkey])
        sections = []
        for skey in [k for k in order if k.startswith("section:")]:
            section_unit = merged[skey]
            if section_unit["_phase"] != phase["slug"]:
                continue
            section = {k: v for k, v in section_unit.items() if not k.startswith("_")}
            topics = []
            for tkey in [k for k in order if k.startswith("topic:") and "/" not in k]:
                topic_unit = merged[tkey]
                if topic_unit["_section"] != section["slug"]:
                    continue
                topic = {k: v for k, v in topic_unit.items() if not k.startswith("_")}
                subs = [
                    {k: v for k, v in merged[u].items() if not k.startswith("_")}
                    for u in order
                    if u.startswith(f"{tkey}/") and merged[u]["_topic"] == tkey
                ]
                subs += [
                    {k: v for k, v in merged[u].items() if not k.startswith("_")}
                    for u in order
                    if "/" in u
                    and u.startswith("topic:")
                    and not u.startswith(f"{tkey}/")
                    and merged[u]["_topic"] == tkey
                ]
                if subs or topic_unit.get("_has_subtopics"):
                    topic["subtopics"] = subs
                topics.append(topic)
            section["topics"] = topics
            sections.append(section)
        phase["sections"] = sections
        phases.append(phase)
    data["phases"] = phases
    projects = [merged[k] for k in order if k.startswith("project:")]
    checkpoints = [merged[k] for k in order if k.startswith("checkpoint:")]
    if projects or "projects" in our_doc:
        data["projects"] = projects
    if checkpoints or "checkpoints" in our_doc:
        data["checkpoints"] = checkpoints
    return data
