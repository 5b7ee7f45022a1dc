"""Reads for roadmaps."""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from django.db.models import QuerySet

from levelup.lib.errors import NotFound
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.schema import ItemRef, RoadmapDocument

_CACHE_SIZE = 32
_documents: OrderedDict[str, RoadmapDocument] = OrderedDict()
_lock = Lock()


def document_for(version: RoadmapVersion) -> RoadmapDocument:
    """The parsed document of a version, parsed once per process.

    Versions never change, so the content hash is a safe cache key.
    """
    key = version.content_hash
    with _lock:
        cached = _documents.get(key)
        if cached is not None:
            _documents.move_to_end(key)
            return cached
    document = RoadmapDocument.model_validate(version.document)
    with _lock:
        _documents[key] = document
        while len(_documents) > _CACHE_SIZE:
            _documents.popitem(last=False)
    return document


def roadmap_list() -> QuerySet[Roadmap]:
    """Published roadmaps (those with a current version), with that version joined in."""
    return Roadmap.objects.filter(current_version__isnull=False).select_related("current_version")


def roadmap_get(slug: str) -> Roadmap:
    """A published roadmap with its current version, or NotFound naming the slug."""
    roadmap = roadmap_list().filter(slug=slug).first()
    if roadmap is None or roadmap.current_version is None:
        raise NotFound(f"no roadmap {slug!r}")
    return roadmap


def current_document(slug: str) -> tuple[Roadmap, RoadmapDocument]:
    """A published roadmap and its current document (one query; parsing is cached)."""
    roadmap = roadmap_get(slug)
    assert roadmap.current_version is not None
    return roadmap, document_for(roadmap.current_version)


def item_get(document: RoadmapDocument, item_key: str) -> ItemRef:
    """Look an item key up in a document, or NotFound naming the key."""
    item = document.items.get(item_key)
    if item is None:
        raise NotFound(f"no item {item_key!r} in roadmap {document.slug!r}")
    return item


def item_detail(document: RoadmapDocument, item_key: str) -> dict[str, object]:
    """The authored content behind an item key, as plain JSON data."""
    item = item_get(document, item_key)
    if item.kind == "topic":
        return document.topics[item_key.removeprefix("topic:")].model_dump(mode="json")
    if item.kind == "subtopic":
        topic_slug, _, sub_slug = item_key.removeprefix("topic:").partition("/")
        topic = document.topics[topic_slug]
        sub = next(s for s in topic.subtopics if s.slug == sub_slug)
        return sub.model_dump(mode="json")
    if item.kind == "project":
        return document.project_map[item_key.removeprefix("project:")].model_dump(mode="json")
    return document.checkpoint_map[item_key.removeprefix("checkpoint:")].model_dump(mode="json")
