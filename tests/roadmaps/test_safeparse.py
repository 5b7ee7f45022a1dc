"""Every safe-parsing limit refuses hostile input quickly, clearly, and writes nothing.

The bombs are built here, never committed as files.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from levelup.lib.errors import Invalid
from levelup.roadmaps.files import read_document_file
from levelup.roadmaps.models import Roadmap, RoadmapVersion
from levelup.roadmaps.safeparse import MAX_BYTES, MAX_ITEMS, parse_json, parse_yaml


def alias_bomb() -> str:
    """A few kilobytes of YAML whose aliases expand to billions of values."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 10):
        refs = ",".join([f"*{chr(96 + level)}"] * 9)
        lines.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    return "\n".join(lines) + "\n"


def deep_yaml() -> str:
    return "x: " + "[" * 5000 + "]" * 5000 + "\n"


def many_values_yaml() -> str:
    return "x: [" + ",".join(["1"] * 150_000) + "]\n"


def duplicate_yaml() -> str:
    return "slug: one\ntitle: A\nslug: two\n"


def many_items_json(tiny: dict[str, Any]) -> str:
    data = dict(tiny)
    topic = {"slug": "t", "title": "T", "month_start": 1, "month_end": 1}
    section = {"slug": "s", "title": "S", "topics": [topic] * (MAX_ITEMS + 1)}
    data["phases"] = [{**tiny["phases"][0], "sections": [section]}]
    return json.dumps(data)


def huge_comments() -> str:
    return "# comment\n" * (MAX_BYTES // 10 + 10)


BOMBS: dict[str, tuple[Callable[[dict[str, Any]], tuple[str, str]], str]] = {
    "alias bomb": (lambda tiny: (alias_bomb(), "yaml"), "no-aliases"),
    "merge key": (lambda tiny: ("base: {a: 1}\nother:\n  <<: {a: 2}\n", "yaml"), "no-aliases"),
    "deep nesting (YAML)": (lambda tiny: (deep_yaml(), "yaml"), "max-depth"),
    "deep nesting (JSON)": (lambda tiny: ("[" * 100_000 + "]" * 100_000, "json"), "max-depth"),
    "too many values": (lambda tiny: (many_values_yaml(), "yaml"), "max-values"),
    "too many items": (lambda tiny: (many_items_json(tiny), "json"), "max-items"),
    "duplicate key (YAML)": (lambda tiny: (duplicate_yaml(), "yaml"), "duplicate-key"),
    "duplicate key (JSON)": (lambda tiny: ('{"slug": "a", "slug": "b"}', "json"), "duplicate-key"),
    "5 MB of comments": (lambda tiny: (huge_comments(), "yaml"), "size"),
}


def _parse(text: str | bytes, fmt: str) -> Any:
    return parse_json(text) if fmt == "json" else parse_yaml(text)


@pytest.mark.parametrize("name", BOMBS)
def test_each_limit_refuses_in_under_a_second_with_bounded_memory(
    name: str, tiny_data: dict[str, Any]
) -> None:
    build, rule = BOMBS[name]
    text, fmt = build(tiny_data)
    # CPU time of this process: the machine running the suite may be busy with other
    # work, which stretches wall-clock time without saying anything about the parser.
    started = time.process_time()
    with pytest.raises(Invalid) as caught:
        _parse(text, fmt)
    elapsed = time.process_time() - started
    # Memory is measured on a second run: tracing slows Python down many times over.
    tracemalloc.start()
    with pytest.raises(Invalid):
        _parse(text, fmt)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert caught.value.errors[0]["rule"] == rule
    assert caught.value.status == 422
    assert elapsed < 1.0, f"{name} took {elapsed:.2f} s"
    # Bounded memory: a small multiple of the input, never the expansion.
    assert peak < 64 * 1024 * 1024, f"{name} peaked at {peak / 1e6:.0f} MB"


def test_non_utf8_is_refused_with_the_byte_offset() -> None:
    raw = b"slug: caf\xe9\ntitle: x\n"
    with pytest.raises(Invalid) as caught:
        parse_yaml(raw)
    assert "byte offset 9" in caught.value.message
    assert caught.value.errors[0]["rule"] == "utf-8"


def test_a_refusal_names_the_line_of_the_problem() -> None:
    with pytest.raises(Invalid) as caught:
        parse_yaml(duplicate_yaml())
    assert caught.value.errors[0]["line"] == "3"
    assert "'slug' is given twice" in caught.value.message


def test_the_builtin_roadmap_passes_the_limits(builtin_data: dict[str, Any]) -> None:
    text = yaml.safe_dump(builtin_data, sort_keys=False)
    assert parse_yaml(text) == builtin_data


def test_validation_lists_at_most_two_hundred_problems(tiny_data: dict[str, Any]) -> None:
    from levelup.roadmaps.validation import validate_document

    topic = {"slug": "BAD SLUG", "title": "", "month_start": 0, "month_end": 0}
    tiny_data["phases"][0]["sections"][0]["topics"] = [topic] * 1000
    report = validate_document(tiny_data)
    assert len(report.errors) == 201
    assert "more problem(s) not listed" in report.errors[-1].message


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(huge_comments(), encoding="utf-8")
    with pytest.raises(Exception, match="the limit is"):
        read_document_file(path)


@pytest.mark.django_db
@pytest.mark.parametrize("name", BOMBS)
def test_the_api_refuses_each_bomb_with_422_and_writes_nothing(
    name: str, tiny_data: dict[str, Any], api_for: Any, alice: Any
) -> None:
    build, rule = BOMBS[name]
    text, fmt = build(tiny_data)
    client = api_for(alice)
    content_type = "application/json" if fmt == "json" else "application/yaml"
    client.get("/api/v1/health")  # the first request of a process loads the URLconf
    started = time.process_time()
    response = client.generic(
        "POST",
        "/api/v1/roadmaps",
        text.encode(),
        content_type=content_type,
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert time.process_time() - started < 1.0
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert body["errors"][0]["rule"] == rule
    assert Roadmap.objects.count() == 0 and RoadmapVersion.objects.count() == 0


@pytest.mark.django_db
def test_the_api_refuses_non_utf8_with_the_offset(api_for: Any, alice: Any) -> None:
    client = api_for(alice)
    response = client.generic(
        "POST",
        "/api/v1/roadmaps",
        b"slug: \xff\xfe",
        content_type="application/yaml",
        headers={"Authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 422
    assert "byte offset 6" in response.json()["detail"]
