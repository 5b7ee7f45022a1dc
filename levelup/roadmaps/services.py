"""Writes for roadmaps: loading documents as versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from levelup.lib.errors import Invalid
from levelup.roadmaps.files import read_document_file
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.schema import RoadmapDocument
from levelup.roadmaps.validation import Problem, validate_document

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
BUILTIN_SLUG = "backend-junior-to-senior"


@dataclass(frozen=True)
class LoadResult:
    """What loading a document did: the version now current, and whether it is new."""

    roadmap: Roadmap
    version: RoadmapVersion
    created: bool
    warnings: tuple[Problem, ...] = ()


def content_hash(document: RoadmapDocument) -> str:
    """SHA-256 of the validated document in canonical JSON.

    Hashing the parsed model rather than the file means comments, key order,
    quoting and whitespace in the YAML do not count as changes.
    """
    canonical = json.dumps(document.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def roadmap_load(*, data: Any, builtin: bool = False) -> LoadResult:
    """Store a document as the roadmap's newest version.

    Identical content (same hash as the current version) is a no-op; changed
    content becomes version n+1, and enrollments keep the version they pinned.
    An invalid document raises `Invalid` listing every problem with its path,
    and nothing is written.
    """
    report = validate_document(data)
    if not report.ok or report.document is None:
        first = report.errors[0] if report.errors else None
        raise Invalid(
            f"the roadmap has {len(report.errors)} problem(s)"
            + (f"; first: {first}" if first else ""),
            errors=[{"field": p.path, "message": p.message} for p in report.errors],
        )
    document = report.document
    digest = content_hash(document)
    try:
        return _store(document, digest, builtin=builtin, warnings=tuple(report.warnings))
    except IntegrityError:
        # Another process created the roadmap or the same version number
        # between our read and our write; its transaction is committed now, so
        # one retry sees it and either finds the content present or numbers
        # the new version after it.
        return _store(document, digest, builtin=builtin, warnings=tuple(report.warnings))


def _store(
    document: RoadmapDocument, digest: str, *, builtin: bool, warnings: tuple[Problem, ...]
) -> LoadResult:
    with transaction.atomic():
        roadmap, _ = Roadmap.objects.select_for_update().get_or_create(
            slug=document.slug,
            defaults={"title": document.title, "summary": document.summary, "is_builtin": builtin},
        )
        current = roadmap.current_version
        if current is not None and current.content_hash == digest:
            return LoadResult(roadmap=roadmap, version=current, created=False, warnings=warnings)
        latest = roadmap.versions.order_by("-number").values_list("number", flat=True).first()
        version = RoadmapVersion.objects.create(
            roadmap=roadmap,
            number=(latest or 0) + 1,
            label=document.version,
            content_hash=digest,
            document=document.model_dump(mode="json"),
        )
        roadmap.current_version = version
        roadmap.title = document.title
        roadmap.summary = document.summary
        roadmap.save(update_fields=["current_version", "title", "summary"])
    return LoadResult(roadmap=roadmap, version=version, created=True, warnings=warnings)


def roadmap_load_file(*, path: Path, builtin: bool = False) -> LoadResult:
    """Read a YAML or JSON file and load it with `roadmap_load`."""
    return roadmap_load(data=read_document_file(path), builtin=builtin)


def builtin_roadmaps_load() -> list[LoadResult]:
    """Load every roadmap that ships in the package (idempotent)."""
    return [
        roadmap_load_file(path=path, builtin=True) for path in sorted(BUILTIN_DIR.glob("*.yaml"))
    ]
