"""A roadmap version as a file: YAML, JSON or README-style Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

from levelup.lib.errors import Invalid
from levelup.roadmaps.markdown_io import document_to_markdown
from levelup.roadmaps.models import RoadmapVersion
from levelup.roadmaps.selectors import document_for

FORMATS = {
    "yaml": ("application/yaml; charset=utf-8", "yaml"),
    "json": ("application/json; charset=utf-8", "json"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
}


@dataclass(frozen=True, slots=True)
class ExportFile:
    content: str
    content_type: str
    filename: str


def version_export(*, version: RoadmapVersion, fmt: str) -> ExportFile:
    """The stored document of `version` in `fmt`; importing the file gives it back."""
    if fmt not in FORMATS:
        raise Invalid.for_field("format", f"must be one of {', '.join(FORMATS)}, not {fmt!r}")
    content_type, extension = FORMATS[fmt]
    data = version.document
    if fmt == "yaml":
        content = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    elif fmt == "json":
        content = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        content = document_to_markdown(document_for(version), data)
    filename = f"{version.roadmap.slug}-v{version.number}.{extension}"
    return ExportFile(content=content, content_type=content_type, filename=filename)
