"""How fast hostile roadmap input is refused, and how fast a real roadmap parses.

Usage: .venv/bin/python bench/safeparse.py

Builds each bomb in memory (nothing is read from or written to disk), parses it
with the safe parser, and prints the median time of three refusals and the
input size; then the same for the built-in roadmap, which must pass.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from levelup.lib.errors import Invalid
from levelup.roadmaps.safeparse import MAX_BYTES, parse_json, parse_yaml

BUILTIN = (
    Path(__file__).resolve().parents[1]
    / "levelup"
    / "roadmaps"
    / "builtin"
    / "backend-junior-to-senior.yaml"
)


def alias_bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 10):
        refs = ",".join([f"*{chr(96 + level)}"] * 9)
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    return "\n".join(lines) + "\n"


CASES: dict[str, tuple[Callable[[], str], Callable[[str], object]]] = {
    "alias bomb (9^10 values)": (alias_bomb, parse_yaml),
    "5000-deep nesting (YAML)": (lambda: "x: " + "[" * 5000 + "]" * 5000, parse_yaml),
    "100000-deep nesting (JSON)": (lambda: "[" * 100_000 + "]" * 100_000, parse_json),
    "150000 values": (lambda: "x: [" + ",".join(["1"] * 150_000) + "]", parse_yaml),
    "duplicate key after 10000 keys": (
        lambda: "slug: a\n" + "".join(f"k{i}: 1\n" for i in range(10_000)) + "slug: b\n",
        parse_yaml,
    ),
    "2.1 MB of comments": (lambda: "# c\n" * (MAX_BYTES // 4 + 10), parse_yaml),
    "5001 topics (JSON)": (
        lambda: json.dumps(
            {
                "phases": [
                    {"sections": [{"topics": [{"slug": "t"}] * 5001}]},
                ]
            }
        ),
        parse_json,
    ),
}


def timed(parse: Callable[[str], object], text: str) -> tuple[float, str]:
    runs = []
    outcome = "accepted"
    for _ in range(3):
        started = time.perf_counter()
        try:
            parse(text)
        except Invalid as exc:
            outcome = f"refused ({exc.errors[0]['rule']})"
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), outcome


def main() -> None:
    print(f"{'input':32} {'bytes':>10} {'median':>10}  outcome")
    for name, (build, parse) in CASES.items():
        text = build()
        seconds, outcome = timed(parse, text)
        print(f"{name:32} {len(text.encode()):>10,} {seconds * 1000:>8.1f} ms  {outcome}")
    text = BUILTIN.read_text(encoding="utf-8")
    seconds, outcome = timed(parse_yaml, text)
    print(f"{'built-in roadmap':32} {len(text.encode()):>10,} {seconds * 1000:>8.1f} ms  {outcome}")


if __name__ == "__main__":
    main()
