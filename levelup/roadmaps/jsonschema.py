"""Write or check `docs/roadmap.schema.json`, the published JSON Schema of the roadmap format.

    python -m levelup.roadmaps.jsonschema --write   # regenerate the file
    python -m levelup.roadmaps.jsonschema --check   # exit 1 when the file is stale

The schema comes from the Pydantic models, so it cannot drift from what the
loader accepts; a test fails when the committed file is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from levelup.roadmaps.schema import RoadmapDocument

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "roadmap.schema.json"


def roadmap_json_schema() -> dict[str, Any]:
    """The JSON Schema of a roadmap document, as Pydantic generates it."""
    return RoadmapDocument.model_json_schema()


def render() -> str:
    """The schema as the committed file holds it: indented, keys sorted, final newline."""
    return json.dumps(roadmap_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="write the schema file")
    action.add_argument("--check", action="store_true", help="fail when the file is out of date")
    parser.add_argument("--path", type=Path, default=SCHEMA_PATH, help="the schema file")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        args.path.write_text(text, encoding="utf-8")
        print(f"wrote {args.path}")
        return 0
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else ""
        if current != text:
            print(
                f"{args.path} is out of date: run python -m levelup.roadmaps.jsonschema --write",
                file=sys.stderr,
            )
            return 1
        print(f"{args.path} is up to date")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
