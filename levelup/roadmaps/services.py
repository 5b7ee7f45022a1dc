"""Writes for roadmaps: loading documents as versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from levelup.lib.errors import Conflict, Invalid
from levelup.roadmaps.files import read_document_file
from levelup.roadmaps.merge import merge_documents
from levelup.roadmaps.models import Roadmap, RoadmapVersion, Visibility
from levelup.roadmaps.schema import RoadmapDocument, canonical_data
from levelup.roadmaps.validation import Problem, validate_document

if TYPE_CHECKING:
    from levelup.accounts.models import User

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
BUILTIN_SLUG = "backend-junior-to-senior"


@dataclass(frozen=True)
class LoadResult:
    """What loading a document did: the version now current, and whether it is new."""

    roadmap: Roadmap
    version: RoadmapVersion
    created: bool
    warnings: tuple[Problem, ...] = ()
    # The version that was current before this load (None for a new roadmap).
    previous: RoadmapVersion | None = None


def content_hash(document: RoadmapDocument) -> str:
    """SHA-256 of the validated document in canonical JSON.

    Hashing the parsed model rather than the file means comments, key order,
    quoting and whitespace in the YAML do not count as changes.
    """
    canonical = json.dumps(canonical_data(document), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def validated(data: Any) -> tuple[RoadmapDocument, tuple[Problem, ...]]:
    """The document, or `Invalid` listing every problem with its path and rule."""
    report = validate_document(data)
    if not report.ok or report.document is None:
        first = report.errors[0] if report.errors else None
        raise Invalid(
            f"the roadmap has {len(report.errors)} problem(s)"
            + (f"; first: {first}" if first else ""),
            errors=[
                {"field": p.path, "message": p.message, "rule": "roadmap-format"}
                for p in report.errors
            ],
        )
    return report.document, tuple(report.warnings)


def roadmap_load(*, data: Any, builtin: bool = False) -> LoadResult:
    """Store a document as the roadmap's newest version.

    Identical content (same hash as the current version) is a no-op; changed
    content becomes version n+1, and enrollments keep the version they pinned.
    An invalid document raises `Invalid` listing every problem with its path,
    and nothing is written.
    """
    document, warnings = validated(data)
    digest = content_hash(document)
    try:
        return _store(document, digest, builtin=builtin, warnings=warnings)
    except IntegrityError:
        # Another process created the roadmap or the same version number
        # between our read and our write; its transaction is committed now, so
        # one retry sees it and either finds the content present or numbers
        # the new version after it.
        return _store(document, digest, builtin=builtin, warnings=warnings)


def _store(
    document: RoadmapDocument, digest: str, *, builtin: bool, warnings: tuple[Problem, ...]
) -> LoadResult:
    with transaction.atomic():
        roadmap, _ = Roadmap.objects.select_for_update().get_or_create(
            slug=document.slug,
            defaults={"title": document.title, "summary": document.summary, "is_builtin": builtin},
        )
        return _add_version(roadmap, document, digest, warnings=warnings, user=None)


def _add_version(
    roadmap: Roadmap,
    document: RoadmapDocument,
    digest: str,
    *,
    warnings: tuple[Problem, ...],
    user: Any,
) -> LoadResult:
    """Inside a transaction holding the roadmap's row lock: store `document` as version n+1."""
    current = roadmap.current_version
    if current is not None and current.content_hash == digest:
        return LoadResult(
            roadmap=roadmap, version=current, created=False, warnings=warnings, previous=current
        )
    latest = roadmap.versions.order_by("-number").values_list("number", flat=True).first()
    version = RoadmapVersion.objects.create(
        roadmap=roadmap,
        number=(latest or 0) + 1,
        label=document.version,
        content_hash=digest,
        document=canonical_data(document),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    roadmap.current_version = version
    roadmap.title = document.title
    roadmap.summary = document.summary
    roadmap.save(update_fields=["current_version", "title", "summary"])
    return LoadResult(
        roadmap=roadmap, version=version, created=True, warnings=warnings, previous=current
    )


def roadmap_load_file(*, path: Path, builtin: bool = False) -> LoadResult:
    """Read a YAML or JSON file and load it with `roadmap_load`."""
    return roadmap_load(data=read_document_file(path), builtin=builtin)


def builtin_roadmaps_load() -> list[LoadResult]:
    """Load every roadmap that ships in the package (idempotent)."""
    return [
        roadmap_load_file(path=path, builtin=True) for path in sorted(BUILTIN_DIR.glob("*.yaml"))
    ]


# --- the roadmap studio: own roadmaps, forks, publishing ----------------------


# Page addresses under /roadmaps/ that a roadmap slug would hide.
RESERVED_SLUGS = frozenset({"studio"})


def _taken(slug: str) -> bool:
    return slug in RESERVED_SLUGS or Roadmap.objects.filter(slug=slug).exists()


def free_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not taken, within 80 characters."""
    base = base[:80].strip("-") or "roadmap"
    candidate = base
    n = 1
    while _taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[: 80 - len(suffix)].strip("-") + suffix
    return candidate


def fork_slug(*, username: str, source_slug: str) -> str:
    """A readable, unique slug for a fork: `<username>-<source slug>` (`alice-backend-…`)."""
    owner = slugify(username) or "user"
    if source_slug.startswith(f"{owner}-"):
        return free_slug(source_slug)
    return free_slug(f"{owner}-{source_slug}")


def roadmap_create(*, owner: User, data: Any, visibility: str = Visibility.PRIVATE) -> LoadResult:
    """A new roadmap owned by `owner`, its first version from `data` (private by default).

    The document's slug must be free; an invalid document writes nothing.
    """
    document, warnings = validated(data)
    if _taken(document.slug):
        raise Conflict(
            f"slug: a roadmap {document.slug!r} exists already; choose another slug",
            errors=[{"field": "slug", "message": "is taken", "rule": "unique-slug"}],
        )
    try:
        with transaction.atomic():
            roadmap = Roadmap.objects.create(
                slug=document.slug,
                title=document.title,
                summary=document.summary,
                owner=owner,
                visibility=_clean_visibility(visibility),
            )
            return _add_version(
                roadmap, document, content_hash(document), warnings=warnings, user=owner
            )
    except IntegrityError:
        raise Conflict(
            f"slug: a roadmap {document.slug!r} exists already; choose another slug",
            errors=[{"field": "slug", "message": "is taken", "rule": "unique-slug"}],
        ) from None


def roadmap_fork(
    *, user: User, source: Roadmap, version: RoadmapVersion | None = None
) -> LoadResult:
    """Copy a visible roadmap's version (current by default) into a new private roadmap.

    The fork remembers where it came from, which is the base for taking in
    the upstream's later versions (`fork_merge_upstream`).
    """
    base = version or source.current_version
    assert base is not None
    slug = fork_slug(username=user.username, source_slug=source.slug)
    data = dict(base.document)
    data["slug"] = slug
    document, warnings = validated(data)
    with transaction.atomic():
        roadmap = Roadmap.objects.create(
            slug=slug,
            title=document.title,
            summary=document.summary,
            owner=user,
            visibility=Visibility.PRIVATE,
            forked_from=source,
            forked_from_version=base,
        )
        return _add_version(roadmap, document, content_hash(document), warnings=warnings, user=user)


def roadmap_publish(*, roadmap: Roadmap, user: User, data: Any) -> LoadResult:
    """Publish a whole document as the roadmap's next version (identical content: no-op).

    The caller has checked that `user` may edit it. The document's slug must be
    the roadmap's (a missing slug is filled in); an invalid document writes nothing.
    """
    if isinstance(data, dict) and "slug" not in data:
        data = {**data, "slug": roadmap.slug}
    document, warnings = validated(data)
    if document.slug != roadmap.slug:
        raise Invalid(
            f"slug: must be {roadmap.slug!r}, the slug of the roadmap being changed",
            errors=[
                {
                    "field": "slug",
                    "message": f"must be {roadmap.slug!r}, not {document.slug!r}",
                    "rule": "same-slug",
                }
            ],
        )
    digest = content_hash(document)
    with transaction.atomic():
        locked = (
            Roadmap.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=roadmap.pk)
        )
        return _add_version(locked, document, digest, warnings=warnings, user=user)


def _clean_visibility(value: str) -> str:
    if value not in Visibility.values:
        raise Invalid.for_field(
            "visibility", f"must be one of {', '.join(Visibility.values)}, not {value!r}"
        )
    return value


def roadmap_settings_update(*, roadmap: Roadmap, visibility: str) -> Roadmap:
    """Change who sees the roadmap. The built-in roadmap stays public."""
    value = _clean_visibility(visibility)
    if roadmap.is_builtin and value != Visibility.PUBLIC:
        raise Invalid.for_field("visibility", "the built-in roadmap is always public")
    roadmap.visibility = value
    roadmap.save(update_fields=["visibility"])
    return roadmap


def fork_merge_upstream(
    *,
    roadmap: Roadmap,
    user: User,
    upstream_version: RoadmapVersion,
    choices: dict[str, str],
) -> LoadResult:
    """Take an upstream version into a fork by three-way merge, and publish the result.

    Every conflict needs a choice ("ours" or "theirs"); an unsettled conflict or an
    invalid merged document writes nothing. On success the fork records the
    upstream version as its new base.
    """
    merged = merge_documents(
        base=roadmap.forked_from_version.document if roadmap.forked_from_version else None,
        ours=roadmap.current_version.document if roadmap.current_version else {},
        theirs=upstream_version.document,
        choices=choices,
    )
    if merged.conflicts:
        raise Invalid(
            f"{len(merged.conflicts)} conflict(s) need a choice: keep yours or take upstream's",
            errors=[
                {"field": c.key, "message": "changed on both sides", "rule": "merge-conflict"}
                for c in merged.conflicts
            ],
        )
    with transaction.atomic():
        result = roadmap_publish(roadmap=roadmap, user=user, data=merged.data)
        Roadmap.objects.filter(pk=roadmap.pk).update(forked_from_version=upstream_version)
        roadmap.forked_from_version = upstream_version
    return result
