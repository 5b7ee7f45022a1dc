"""Finding the item a person meant in the built-in roadmap."""

from __future__ import annotations

from typing import Any

import pytest

from levelup.roadmaps.lookup import item_find


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("topic:advanced-nodejs/event-loop", "topic:advanced-nodejs/event-loop"),
        ("TOPIC:Advanced-NodeJS", "topic:advanced-nodejs"),
        ("Advanced Node.js", "topic:advanced-nodejs"),
        ("event loop deep dive", "topic:advanced-nodejs/event-loop"),
        ("event-loop", "topic:advanced-nodejs/event-loop"),
        ("advanced-nodejs", "topic:advanced-nodejs"),
        ("topic:sql", "topic:sql-fundamentals"),
        ("rest api", "project:rest-api-with-auth"),
        ("", ""),
    ],
)
def test_a_key_title_or_unambiguous_part_names_one_item(builtin: Any, typed: str, key: str) -> None:
    _, document = builtin
    assert item_find(document, typed) == (item_find(document, key))
    assert item_find(document, typed).key == key
    assert item_find(document, typed).problem is None


def test_a_typo_is_refused_with_suggestions(builtin: Any) -> None:
    _, document = builtin
    match = item_find(document, "project:blog-api")
    assert match.problem is not None
    assert "did you mean project:blog-platform-api (Blog Platform API)?" in match.problem


def test_an_ambiguous_part_lists_the_candidates(builtin: Any) -> None:
    _, document = builtin
    match = item_find(document, "caching")
    assert match.problem is not None
    assert match.problem.startswith("'caching' matches several items")
    assert "topic:system-design/caching-layers" in match.problem


def test_nothing_like_it_says_how_to_name_an_item(builtin: Any) -> None:
    _, document = builtin
    problem = item_find(document, "zzzz qqqq").problem
    assert problem is not None and "topic:<slug>" in problem
