"""Writes for roadmaps: loading documents as versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from levelup.lib.errors import ApplicationError
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.schema import RoadmapDocument
from levelup.roadmaps.files import read_document_file
from levelup.roadmaps.validation import validate_document

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
BUILTIN_SLUG = "backend-junior-to-senior"


@dataclass(frozen=True)
class LoadResult:
    roadmap: Roadmap
    version: RoadmapVersion
    created: bool


def content_hash(document: RoadmapDocument) -> str:
    canonical = json.dumps(document.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def roadmap_load(*, data: Any, builtin: bool = False) -> LoadResult:
    """Store a document as the roadmap's newest version.

    Identical content is a no-op; changed content becomes a new version, and
    enrollments keep the version they pinned. All or nothing.
    """
    report = validate_document(data)
    if not report.ok or report.document is None:
        raise ApplicationError(
            f"the roadmap has {len(report.errors)} problem(s)",
            errors=[{"field": p.path, "message": p.message} for p in report.errors],
            status=422,
        )
    document = report.document
    digest = content_hash(document)
    with transaction.atomic():
        roadmap, _ = Roadmap.objects.select_for_update().get_or_create(
            slug=document.slug,
            defaults={"title": document.title, "summary": document.summary, "is_builtin": builtin},
        )
        current = roadmap.current_version
        if current is not None and current.content_hash == digest:
            return LoadResult(roadmap=roadmap, version=current, created=False)
        number = (current.number if current else 0) + 1
        version = RoadmapVersion.objects.create(
            roadmap=roadmap,
            number=number,
            label=document.version,
            content_hash=digest,
            document=document.model_dump(mode="json"),
        )
        roadmap.current_version = version
        roadmap.title = document.title
        roadmap.summary = document.summary
        roadmap.save(update_fields=["current_version", "title", "summary"])
    return LoadResult(roadmap=roadmap, version=version, created=True)


def roadmap_load_file(*, path: Path, builtin: bool = False) -> LoadResult:
    return roadmap_load(data=read_document_file(path), builtin=builtin)


def builtin_roadmaps_load() -> list[LoadResult]:
    """Load every roadmap that ships in the package (idempotent)."""
    return [
        roadmap_load_file(path=path, builtin=True) for path in sorted(BUILTIN_DIR.glob("*.yaml"))
    ]
