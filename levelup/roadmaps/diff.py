"""What changed between two versions of a roadmap, by stable item key. Pure: no ORM.

An item is the same item in both versions when its key is the same, or when
the newer document lists the old key in the item's `renamed_from`. Renames
chain across versions: moving from version 1 to version 3 follows a rename made
in version 2 even when version 3 no longer mentions it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from levelup.roadmaps.schema import ItemRef, RoadmapDocument


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass
class VersionDiff:
    """Keys added, removed, renamed (old → new), changed (with fields) and moved."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)
    changes: dict[str, list[FieldChange]] = field(default_factory=dict)
    moved: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def renamed(self) -> list[str]:
        """The new keys of renamed items."""
        return list(self.renames.values())

    @property
    def changed(self) -> list[str]:
        return list(self.changes)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.renames or self.changes or self.moved)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "renamed": self.renamed,
            "moved": self.moved,
            "renames": self.renames,
            "changes": {
                key: [{"field": c.field, "before": c.before, "after": c.after} for c in changes]
                for key, changes in self.changes.items()
            },
        }


def follow_renames(keys: Sequence[str], later: Sequence[RoadmapDocument]) -> dict[str, str | None]:
    """Where each key of an old version lives in the last of `later` (None: removed).

    `later` are the versions after the old one, oldest first, ending with the
    target. A key is followed through each version's `renamed_from` whenever it
    is no longer an item of that version.
    """
    out: dict[str, str | None] = {}
    renames = [doc.renames() for doc in later]
    target = later[-1] if later else None
    for key in keys:
        current = key
        for doc, doc_renames in zip(later, renames, strict=True):
            if current not in doc.items and current in doc_renames:
                current = doc_renames[current]
        if target is None or current in target.items:
            out[key] = current
        else:
            out[key] = None
    return out


def _window(item: ItemRef) -> str:
    if item.month_start == item.month_end:
        return f"month {item.month_start}"
    return f"months {item.month_start}–{item.month_end}"


def _hours(value: float | None) -> str:
    return "derived" if value is None else f"{value:g} h"


def _place(item: ItemRef) -> str:
    if item.kind == "topic":
        return f"{item.phase}/{item.section}"
    return ""


def version_diff(old: RoadmapDocument, later: Sequence[RoadmapDocument]) -> VersionDiff:
    """The diff from `old` to the last document of `later` (see `follow_renames`)."""
    new = later[-1]
    diff = VersionDiff()
    where = follow_renames(list(old.items), later)
    reached: set[str] = set()
    for key, item in old.items.items():
        target_key = where[key]
        if target_key is None:
            diff.removed.append(key)
            diff.titles[key] = item.title
            continue
        reached.add(target_key)
        if target_key != key:
            diff.renames[key] = target_key
        after = new.items[target_key]
        diff.titles[target_key] = after.title
        changes = []
        if item.title != after.title:
            changes.append(FieldChange("title", item.title, after.title))
        if (item.month_start, item.month_end) != (after.month_start, after.month_end):
            changes.append(FieldChange("window", _window(item), _window(after)))
        if item.effort_hours != after.effort_hours:
            changes.append(
                FieldChange("effort", _hours(item.effort_hours), _hours(after.effort_hours))
            )
        if changes:
            diff.changes[target_key] = changes
        if item.kind == "subtopic":
            moved = (where.get(item.parent or "") or item.parent) != after.parent
        else:
            moved = _place(item) != _place(after)
        if moved:
            diff.moved.append(target_key)
    for key, item in new.items.items():
        if key not in reached:
            diff.added.append(key)
            diff.titles[key] = item.title
    return diff
