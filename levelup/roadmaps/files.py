"""Reading roadmap files. No Django here: `levelup roadmap validate` runs without it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from levelup.lib.errors import ApplicationError
from levelup.roadmaps.validation import ValidationReport, validate_document

# libyaml's loader parses the built-in roadmap about seven times faster; the
# pure-Python one gives the same data where libyaml is not compiled in.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_document_file(path: Path) -> Any:
    """Parse a YAML or JSON file; a syntax error becomes an ApplicationError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ApplicationError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ApplicationError(f"{path}: the file is not UTF-8 text") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ApplicationError(f"{path}: not valid YAML or JSON: {exc}") from None


def validate_file(path: Path) -> ValidationReport:
    """Read and validate a roadmap file; every problem is in the report, none is raised."""
    return validate_document(read_document_file(path))
