"""Typed readers of environment variables."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from levelup.lib.env import env_bool, env_choice, env_int, env_list, env_str, env_url


def test_env_str_gives_the_default_when_unset() -> None:
    assert env_str("X", "fallback", environ={}) == "fallback"
    assert env_str("X", "fallback", environ={"X": "given"}) == "given"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("Yes", True), (" on ", True), ("0", False), ("false", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(raw: str, expected: bool) -> None:
    assert env_bool("FLAG", default=not expected, environ={"FLAG": raw}) is expected


def test_env_bool_names_the_variable_on_nonsense() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"LEVELUP_HTTPS must be a boolean.*'maybe'"):
        env_bool("LEVELUP_HTTPS", environ={"LEVELUP_HTTPS": "maybe"})


def test_env_int_reads_numbers_and_defaults_on_blank() -> None:
    assert env_int("N", 5, environ={"N": " 12 "}) == 12
    assert env_int("N", 5, environ={"N": ""}) == 5
    assert env_int("N", 5, environ={}) == 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ten", r"LEVELUP_LOGIN_FAILURE_LIMIT must be a whole number, got 'ten'"),
        ("0", r"LEVELUP_LOGIN_FAILURE_LIMIT must be at least 1, got 0"),
        ("1000", r"LEVELUP_LOGIN_FAILURE_LIMIT must be at most 100, got 1000"),
    ],
)
def test_env_int_names_the_variable_and_the_bound(raw: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        env_int(
            "LEVELUP_LOGIN_FAILURE_LIMIT",
            5,
            minimum=1,
            maximum=100,
            environ={"LEVELUP_LOGIN_FAILURE_LIMIT": raw},
        )


def test_env_choice_accepts_any_case_and_rejects_others() -> None:
    choices = ("development", "production")
    assert (
        env_choice("LEVELUP_ENV", "development", choices, environ={"LEVELUP_ENV": "Production"})
        == "production"
    )
    assert env_choice("LEVELUP_ENV", "development", choices, environ={}) == "development"
    with pytest.raises(
        ImproperlyConfigured,
        match=r"LEVELUP_ENV must be one of development, production, got 'staging'",
    ):
        env_choice("LEVELUP_ENV", "development", choices, environ={"LEVELUP_ENV": "staging"})


def test_env_list_splits_on_commas_and_drops_blanks() -> None:
    assert env_list("HOSTS", ("a",), environ={"HOSTS": " x.example , ,y.example,"}) == [
        "x.example",
        "y.example",
    ]
    assert env_list("HOSTS", ("a",), environ={}) == ["a"]


def test_env_url_checks_the_scheme_without_repeating_secrets() -> None:
    schemes = ("redis", "rediss")
    assert env_url("REDIS_URL", schemes=schemes, environ={}) == ""
    assert (
        env_url("REDIS_URL", schemes=schemes, environ={"REDIS_URL": "redis://h:6379/0"})
        == "redis://h:6379/0"
    )
    with pytest.raises(
        ImproperlyConfigured, match=r"REDIS_URL must be a URL starting with redis:// or rediss://"
    ) as caught:
        env_url("REDIS_URL", schemes=schemes, environ={"REDIS_URL": "http://user:hunter2@h/"})
    assert "hunter2" not in str(caught.value)
    with pytest.raises(ImproperlyConfigured, match="got no scheme"):
        env_url("REDIS_URL", schemes=schemes, environ={"REDIS_URL": "localhost:6379"})
