"""Parsing roadmap input from people we do not trust (files, text boxes, the API).

Every check here runs before a value is built, so a hostile document is refused
in bounded time and memory and nothing is written:

- at most `MAX_BYTES` of input, checked before decoding;
- UTF-8 only; a bad byte is reported with its offset;
- YAML anchors and aliases are refused (a few kilobytes of aliases can expand
  into millions of nodes), and so are merge keys, which need them;
- at most `MAX_NODES` values and `MAX_DEPTH` levels of nesting;
- a key given twice in one mapping is refused instead of the last one winning;
- at most `MAX_ITEMS` trackable items (topics, subtopics, projects, checkpoints).

For YAML the limits are checked on libyaml's event stream before anything is
composed, so the cost of a refusal is the cost of reading up to the problem.
No Django here: `levelup roadmap validate` uses it without a database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from levelup.lib.errors import Invalid
from levelup.lib.schemas import text_problem

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 24
MAX_ITEMS = 5_000
MAX_ERRORS = 200

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Refusal:
    """One reason the input was refused: where (path or line) and which rule."""

    field: str
    message: str
    rule: str
    line: int | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"field": self.field, "message": self.message, "rule": self.rule}
        if self.line is not None:
            out["line"] = str(self.line)
        return out


def refuse(problem: Refusal) -> Invalid:
    """The one error a refusal becomes (HTTP 422), naming the rule and where."""
    where = f"line {problem.line}: " if problem.line is not None else ""
    return Invalid(f"the roadmap was refused: {where}{problem.message}", errors=[problem.as_dict()])


def decode_text(data: bytes | str) -> str:
    """Check the size and decode UTF-8, naming the byte offset of the first bad byte."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        raise refuse(
            Refusal(
                "(document)",
                f"the document is {size:,} bytes; the limit is {MAX_BYTES:,} bytes",
                "size",
            )
        )
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(
            Refusal(
                "(document)",
                f"the document is not UTF-8 text: byte offset {exc.start} "
                f"(0x{data[exc.start]:02x}) cannot be decoded",
                "utf-8",
            )
        ) from None


def _yaml_prescan(text: str) -> None:
    """Walk libyaml's events and refuse aliases, depth, size and duplicate keys early."""
    loader = _SafeLoader(text)
    try:
        nodes = 0
        # One frame per open collection: [is_mapping, expecting_key, keys seen].
        stack: list[tuple[bool, list[bool], set[str]]] = []

        def line_of(event: Any) -> int:
            return int(event.start_mark.line) + 1

        while loader.check_event():
            event = loader.get_event()
            kind = type(event)
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.DocumentStartEvent:
                if nodes:
                    raise refuse(
                        Refusal(
                            "(document)",
                            "more than one YAML document in the input",
                            "single-document",
                            line_of(event),
                        )
                    )
                continue
            if kind is yaml.AliasEvent or getattr(event, "anchor", None):
                raise refuse(
                    Refusal(
                        "(document)",
                        "YAML anchors and aliases (&name, *name) are not allowed in a roadmap",
                        "no-aliases",
                        line_of(event),
                    )
                )
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
                continue
            nodes += 1
            if nodes > MAX_NODES:
                raise refuse(
                    Refusal(
                        "(document)",
                        f"the document holds more than {MAX_NODES:,} values",
                        "max-values",
                        line_of(event),
                    )
                )
            if stack and stack[-1][0]:
                frame = stack[-1]
                is_key = frame[1][0]
                frame[1][0] = not is_key
                if is_key:
                    if kind is not yaml.ScalarEvent:
                        raise refuse(
                            Refusal(
                                "(document)",
                                "mapping keys must be plain values",
                                "scalar-keys",
                                line_of(event),
                            )
                        )
                    key = event.value
                    if key == "<<":
                        raise refuse(
                            Refusal(
                                "(document)",
                                "YAML merge keys (<<) are not allowed in a roadmap",
                                "no-aliases",
                                line_of(event),
                            )
                        )
                    if key in frame[2]:
                        raise refuse(
                            Refusal(
                                "(document)",
                                f"the key {key!r} is given twice in the same mapping",
                                "duplicate-key",
                                line_of(event),
                            )
                        )
                    frame[2].add(key)
            if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise refuse(
                        Refusal(
                            "(document)",
                            f"values are nested more than {MAX_DEPTH} levels deep",
                            "max-depth",
                            line_of(event),
                        )
                    )
                stack.append((kind is yaml.MappingStartEvent, [True], set()))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", None) or exc)
        if "nesting depth" in problem:
            # libyaml's own nesting guard can fire before our depth count sees it.
            raise refuse(
                Refusal(
                    "(document)",
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "max-depth",
                    line,
                )
            ) from None
        raise refuse(
            Refusal("(document)", f"not valid YAML: {problem}", "yaml-syntax", line)
        ) from None
    finally:
        loader.dispose()


def parse_yaml(data: bytes | str) -> Any:
    """Parse a YAML roadmap safely (see the module docstring for the limits)."""
    text = decode_text(data)
    _yaml_prescan(text)
    try:
        value = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:  # the prescan saw the same syntax; kept for safety
        raise refuse(Refusal("(document)", f"not valid YAML: {exc}", "yaml-syntax")) from None
    check_text(value)
    check_items(value)
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_json(data: bytes | str) -> Any:
    """Parse a JSON roadmap with the same limits as YAML."""
    text = decode_text(data)
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise refuse(
            Refusal(
                "(document)",
                f"the key {exc.key!r} is given twice in the same object",
                "duplicate-key",
            )
        ) from None
    except RecursionError:
        raise refuse(
            Refusal(
                "(document)", f"values are nested more than {MAX_DEPTH} levels deep", "max-depth"
            )
        ) from None
    except json.JSONDecodeError as exc:
        raise refuse(
            Refusal("(document)", f"not valid JSON: {exc.msg}", "json-syntax", exc.lineno)
        ) from None
    check_shape(value)
    return value


def check_shape(value: Any) -> None:
    """Refuse too many values or too deep nesting in already-parsed data (JSON, API bodies)."""
    nodes = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        current, depth = pending.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise refuse(
                Refusal(
                    "(document)", f"the document holds more than {MAX_NODES:,} values", "max-values"
                )
            )
        if isinstance(current, Mapping | list | tuple):
            if depth >= MAX_DEPTH:
                raise refuse(
                    Refusal(
                        "(document)",
                        f"values are nested more than {MAX_DEPTH} levels deep",
                        "max-depth",
                    )
                )
            children = current.values() if isinstance(current, Mapping) else current
            pending.extend((child, depth + 1) for child in children)
    check_text(value)
    check_items(value)


def check_text(value: Any) -> None:
    """Refuse NUL bytes and lone surrogates anywhere in the document: no database column
    (nor PostgreSQL's jsonb) can hold them. Names the value's path."""
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, current = pending.pop()
        if isinstance(current, str):
            problem = text_problem(current)
            if problem:
                raise refuse(Refusal(path or "(document)", f"the text {problem}", "text"))
        elif isinstance(current, Mapping):
            for key, child in current.items():
                name = f"{path}.{key}" if path else str(key)
                problem = text_problem(str(key))
                if problem:
                    raise refuse(Refusal(path or "(document)", f"a key {problem}", "text"))
                pending.append((name, child))
        elif isinstance(current, list | tuple):
            pending.extend((f"{path}[{index}]", child) for index, child in enumerate(current))


def _length(value: Any) -> int:
    return len(value) if isinstance(value, list | tuple) else 0


def _entries(value: Any, key: str) -> list[Any]:
    found = value.get(key) if isinstance(value, Mapping) else None
    return [v for v in found if isinstance(v, Mapping)] if isinstance(found, list | tuple) else []


def check_items(value: Any) -> None:
    """Refuse a document with more than `MAX_ITEMS` trackable items, before validating it."""
    if not isinstance(value, Mapping):
        return
    count = _length(value.get("projects")) + _length(value.get("checkpoints"))
    for phase in _entries(value, "phases"):
        for section in _entries(phase, "sections"):
            for topic in _entries(section, "topics"):
                count += 1 + _length(topic.get("subtopics"))
    if count > MAX_ITEMS:
        raise refuse(
            Refusal(
                "(document)",
                f"the roadmap has {count:,} items; the limit is {MAX_ITEMS:,}",
                "max-items",
            )
        )


def parse_document(data: bytes | str, *, content_type: str = "yaml") -> Any:
    """Parse YAML (the default; JSON is valid YAML too) or JSON by content type."""
    if "json" in content_type:
        return parse_json(data)
    return parse_yaml(data)


def yaml_path_lines(text: str) -> dict[str, int]:
    """The line (1-based) of every value in a YAML text, by validation path.

    Paths read like the validator's (`phases[0].sections[1].title`), so a
    problem can be shown next to its line. The text passes the same prescan as
    `parse_yaml` first, so no alias can blow the tree up.
    """
    _yaml_prescan(decode_text(text))
    root = yaml.compose(text, Loader=_SafeLoader)
    lines: dict[str, int] = {}
    if root is None:
        return lines
    pending: list[tuple[Any, str]] = [(root, "")]
    while pending:
        node, path = pending.pop()
        lines.setdefault(path or "(document)", int(node.start_mark.line) + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value)
                child = f"{path}.{name}" if path else name
                # A key's own line is where a problem with its value is shown.
                lines[child] = int(key.start_mark.line) + 1
                pending.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                pending.append((value, f"{path}[{index}]"))
    return lines
