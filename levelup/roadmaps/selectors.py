"""Reads for roadmaps."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any

from django.db.models import Q, QuerySet

from levelup.lib.errors import Forbidden, NotFound
from levelup.roadmaps.diff import VersionDiff, version_diff
from levelup.roadmaps.models import Roadmap, RoadmapVersion, Visibility
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


def _published() -> QuerySet[Roadmap]:
    return Roadmap.objects.filter(current_version__isnull=False).select_related(
        "current_version", "owner"
    )


def _viewer_id(viewer: Any) -> int | None:
    return viewer.pk if getattr(viewer, "is_authenticated", False) else None


def roadmap_list(*, viewer: Any = None) -> QuerySet[Roadmap]:
    """Listed roadmaps: every public one, and the viewer's own whatever their visibility."""
    public = Q(visibility=Visibility.PUBLIC)
    viewer_id = _viewer_id(viewer)
    return _published().filter(public | Q(owner_id=viewer_id) if viewer_id else public)


def roadmaps_visible_to(viewer: Any) -> QuerySet[Roadmap]:
    """Every roadmap the viewer may open: public, unlisted, and their own private ones."""
    shared = Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
    viewer_id = _viewer_id(viewer)
    return _published().filter(shared | Q(owner_id=viewer_id) if viewer_id else shared)


def roadmap_get(slug: str, *, viewer: Any = None) -> Roadmap:
    """A roadmap the viewer may see, or NotFound naming the slug (private ones included)."""
    roadmap = roadmaps_visible_to(viewer).filter(slug=slug).first()
    if roadmap is None or roadmap.current_version is None:
        raise NotFound(f"no roadmap {slug!r}")
    return roadmap


def current_document(slug: str, *, viewer: Any = None) -> tuple[Roadmap, RoadmapDocument]:
    """A visible roadmap and its current document (one query; parsing is cached).

    Without a viewer only public and unlisted roadmaps are found.
    """
    roadmap = roadmap_get(slug, viewer=viewer)
    assert roadmap.current_version is not None
    return roadmap, document_for(roadmap.current_version)


def can_edit(roadmap: Roadmap, user: Any) -> bool:
    """Owners edit their roadmaps; staff edit the built-in and operator-loaded ones."""
    if not getattr(user, "is_authenticated", False):
        return False
    if roadmap.owner_id is None:
        return bool(user.is_staff)
    return bool(roadmap.owner_id == user.pk)


def roadmap_for_editing(slug: str, *, user: Any) -> Roadmap:
    """A roadmap the user may edit; invisible ones are NotFound, others' are Forbidden."""
    roadmap = roadmap_get(slug, viewer=user)
    if not can_edit(roadmap, user):
        raise Forbidden(f"only the owner of {slug!r} can change it; fork it to make your own copy")
    return roadmap


def version_list(roadmap: Roadmap) -> QuerySet[RoadmapVersion]:
    """Every version of a roadmap, oldest first, without the documents."""
    return roadmap.versions.order_by("number").defer("document").select_related("created_by")


def version_get(roadmap: Roadmap, number: int | None) -> RoadmapVersion:
    """A version by number (the current one when None), or NotFound naming it."""
    if number is None:
        assert roadmap.current_version is not None
        return roadmap.current_version
    found = roadmap.versions.filter(number=number).first()
    if found is None:
        raise NotFound(
            f"roadmap {roadmap.slug!r} has no version {number}",
            errors=[{"field": "version", "message": f"no version {number}"}],
        )
    return found


def documents_between(roadmap: Roadmap, start: int, end: int) -> list[RoadmapDocument]:
    """The documents of versions start..end (inclusive, either direction), in that order."""
    low, high = sorted((start, end))
    versions = list(roadmap.versions.filter(number__gte=low, number__lte=high).order_by("number"))
    numbers = [v.number for v in versions]
    for wanted in (start, end):
        if wanted not in numbers:
            raise NotFound(
                f"roadmap {roadmap.slug!r} has no version {wanted}",
                errors=[{"field": "version", "message": f"no version {wanted}"}],
            )
    documents = [document_for(v) for v in versions]
    return documents if start <= end else documents[::-1]


def version_diff_between(roadmap: Roadmap, start: int, end: int) -> VersionDiff:
    """The diff from version `start` to version `end` by item key, renames followed."""
    documents = documents_between(roadmap, start, end)
    return version_diff(documents[0], documents[1:] or documents)


def upstream_status(roadmap: Roadmap) -> tuple[Roadmap, RoadmapVersion] | None:
    """For a fork whose upstream has published since: (upstream, its current version)."""
    upstream = roadmap.forked_from
    if upstream is None or upstream.current_version_id is None:
        return None
    base = roadmap.forked_from_version
    if base is not None and base.pk == upstream.current_version_id:
        return None
    current = upstream.current_version
    if base is not None and current is not None and base.number >= current.number:
        return None
    assert upstream.current_version is not None
    return upstream, upstream.current_version


def item_get(document: RoadmapDocument, item_key: str) -> ItemRef:
    """Look an item key up in a document, or NotFound naming the key."""
    item = document.items.get(item_key)
    if item is None:
        raise NotFound(f"no item {item_key!r} in roadmap {document.slug!r}")
    return item


def item_detail(document: RoadmapDocument, item_key: str) -> dict[str, object]:
    """The authored content behind an item key, as plain JSON data."""
    data = _item_detail(document, item_key)
    if not data.get("renamed_from"):
        data.pop("renamed_from", None)
    return data


def _item_detail(document: RoadmapDocument, item_key: str) -> dict[str, Any]:
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


@dataclass(frozen=True, slots=True)
class Pin:
    """The version a learner's open enrollment in a roadmap is pinned to."""

    version: RoadmapVersion
    enrollment_id: int


PinFinder = Callable[[Any, Roadmap], Pin | None]
_PIN_FINDERS: list[PinFinder] = []


def pin_finder_register(finder: PinFinder) -> None:
    """Let the app that owns enrollments (progress, above us) say which version a user follows.

    Roadmap pages show a learner their own version; roadmaps cannot import progress,
    so progress registers its finder in `ProgressConfig.ready()`.
    """
    if finder not in _PIN_FINDERS:
        _PIN_FINDERS.append(finder)


def pinned_version(*, user: Any, roadmap: Roadmap) -> Pin | None:
    """The version `user` is enrolled on in `roadmap`, or None (anonymous, not enrolled)."""
    if not getattr(user, "is_authenticated", False):
        return None
    for finder in _PIN_FINDERS:
        found = finder(user, roadmap)
        if found is not None:
            return found
    return None
