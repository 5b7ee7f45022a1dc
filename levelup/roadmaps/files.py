"""Reading roadmap files. No Django here: `levelup roadmap validate` runs without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from levelup.lib.errors import ApplicationError
from levelup.roadmaps.safeparse import MAX_BYTES, decode_text, parse_json, parse_yaml
from levelup.roadmaps.validation import ValidationReport, validate_document


def read_document_file(path: Path) -> Any:
    """Parse a YAML or JSON file safely (`safeparse` limits); refusals name the file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ApplicationError(
                f"{path}: the file is {size:,} bytes; the limit is {MAX_BYTES:,} bytes",
                errors=[{"field": "(document)", "message": "too large", "rule": "size"}],
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ApplicationError(f"{path}: cannot read the file ({exc.strerror})") from None
    try:
        if path.suffix.lower() == ".json":
            return parse_json(raw)
        if path.suffix.lower() in (".md", ".markdown"):
            from levelup.roadmaps.markdown_io import markdown_to_document

            return markdown_to_document(decode_text(raw)).data
        return parse_yaml(raw)
    except ApplicationError as exc:
        raise ApplicationError(f"{path}: {exc.message}", errors=exc.errors) from None


def validate_file(path: Path) -> ValidationReport:
    """Read and validate a roadmap file; every problem is in the report, none is raised."""
    return validate_document(read_document_file(path))
