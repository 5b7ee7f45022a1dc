"""Find the item a person meant: an exact key, a title, or part of a key.

People type "event loop", "advanced-nodejs" or "topic:node" as often as the exact
`topic:advanced-nodejs/event-loop`. A reference that names exactly one item is
accepted as that item; anything else is refused with up to three suggestions.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from levelup.roadmaps.schema import RoadmapDocument

SUGGESTIONS = 3
_PREFIXES = ("topic:", "project:", "checkpoint:")


@dataclass(frozen=True, slots=True)
class ItemMatch:
    """The key a reference names (`key`), or why it names none (`problem`)."""

    key: str
    problem: str | None = None


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _starts_word(text: str, wanted: str) -> bool:
    """Whether `wanted` (already in words) appears in `text` from the start of a word."""
    return f" {wanted}" in f" {_words(text)}"


def _slug_part(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def item_find(document: RoadmapDocument, reference: str) -> ItemMatch:
    """The item `reference` names in `document`; an empty reference is no item."""
    text = reference.strip()
    if not text or text in document.items:
        return ItemMatch(key=text)
    items = document.items
    lowered = text.lower()
    if lowered in items:
        return ItemMatch(key=lowered)
    wanted = _words(text)
    prefix = next((p for p in _PREFIXES if lowered.startswith(p)), "")
    candidates = [key for key in items if key.startswith(prefix)] if prefix else list(items)
    wanted_slug = _words(_slug_part(lowered))

    by_title = [key for key in candidates if _words(items[key].title) == wanted]
    if len(by_title) == 1:
        return ItemMatch(key=by_title[0])
    # A key that ends with what was typed ("event-loop" for topic:x/event-loop), then one
    # whose slug or title contains it.
    by_end = [
        key
        for key in candidates
        if _words(_slug_part(key)).endswith(wanted_slug)
        and (_words(_slug_part(key)) == wanted_slug or " " + wanted_slug in _words(key))
    ]
    if len(by_end) == 1:
        return ItemMatch(key=by_end[0])
    containing = [
        key
        for key in candidates
        if wanted_slug
        and (
            _starts_word(_slug_part(key), wanted_slug)
            or _starts_word(items[key].title, wanted_slug)
        )
    ]
    if len(containing) == 1:
        return ItemMatch(key=containing[0])
    # "sql" is in SQL Fundamentals and in its subtopics' keys: the topic is meant.
    parents = [key for key in containing if "/" not in key]
    if len(parents) == 1 and all(key.startswith(parents[0]) for key in containing):
        return ItemMatch(key=parents[0])
    # "topic:sql" is the start of a key: the one topic or project key it starts is meant.
    starting = [key for key in parents if prefix and "/" not in text and key.startswith(lowered)]
    if len(starting) == 1:
        return ItemMatch(key=starting[0])
    if containing:
        # Prefer topics and projects over their subtopics when several match.
        containing.sort(key=lambda key: ("/" in key, len(key)))
        return ItemMatch(key=text, problem=_refusal(document, text, containing[:SUGGESTIONS]))
    labels = {_words(items[key].title): key for key in candidates}
    labels.update({_words(_slug_part(key)): key for key in candidates})
    close = difflib.get_close_matches(
        wanted_slug or wanted, list(labels), n=SUGGESTIONS, cutoff=0.6
    )
    suggestions = list(dict.fromkeys(labels[label] for label in close))
    return ItemMatch(key=text, problem=_refusal(document, text, suggestions))


def _refusal(document: RoadmapDocument, text: str, suggestions: list[str]) -> str:
    if len(suggestions) > 1 and all(_words(text) in _words(key) for key in suggestions):
        start = f"{text!r} matches several items in roadmap {document.slug!r}"
    else:
        start = f"no item {text!r} in roadmap {document.slug!r}"
    if not suggestions:
        return f"{start}; use a key such as topic:<slug> or an item's title"
    names = ", ".join(f"{key} ({document.items[key].title})" for key in suggestions)
    return f"{start}; did you mean {names}?"
