"""The config file: where it lives, who may read it, what overrides it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from levelup.cli import config


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("LEVELUP_CONFIG", "LEVELUP_URL", "LEVELUP_TOKEN", "LEVELUP_ENROLLMENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def test_the_file_lives_under_xdg_config_home(tmp_path: Path) -> None:
    assert config.config_path() == tmp_path / "xdg-config" / "levelup" / "config.toml"
    assert config.cache_dir() == tmp_path / "xdg-cache" / "levelup"


def test_without_xdg_it_lives_under_the_home_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert config.config_path() == tmp_path / "home" / ".config" / "levelup" / "config.toml"
    assert config.cache_dir() == tmp_path / "home" / ".cache" / "levelup"


def test_levelup_config_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEVELUP_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config.config_path() == tmp_path / "elsewhere.toml"


def test_the_file_is_written_readable_by_its_owner_only(tmp_path: Path) -> None:
    # A permissive umask must not leak the token to other users.
    import os

    old = os.umask(0o000)
    try:
        path = config.write_file({"url": "http://x", "token": "lvl_secret"})
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert config.read_file() == {"url": "http://x", "token": "lvl_secret"}


def test_rewriting_keeps_mode_0600_even_if_someone_widened_it() -> None:
    path = config.write_file({"url": "http://x", "token": "lvl_a"})
    path.chmod(0o644)
    config.write_file({"url": "http://x", "token": "lvl_b"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_environment_variables_override_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_file({"url": "http://file:8000", "token": "lvl_file", "enrollment": 3})
    assert config.load().url == "http://file:8000"
    monkeypatch.setenv("LEVELUP_URL", "http://env:9000/")
    monkeypatch.setenv("LEVELUP_TOKEN", "lvl_env")
    monkeypatch.setenv("LEVELUP_ENROLLMENT", "7")
    settings = config.load()
    assert (settings.url, settings.token, settings.enrollment) == ("http://env:9000", "lvl_env", 7)
    # An explicit --enrollment beats everything.
    assert config.load(enrollment=9).enrollment == 9


def test_a_broken_file_is_reported_with_its_path() -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True)
    path.write_text("url = [unclosed")
    with pytest.raises(config.ConfigError, match=str(path)):
        config.load()


def test_a_bad_enrollment_variable_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEVELUP_ENROLLMENT", "first")
    with pytest.raises(config.ConfigError, match="LEVELUP_ENROLLMENT"):
        config.load()


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("https://levelup.example.com/api/v1/", "https://levelup.example.com"),
    ],
)
def test_urls_are_normalized(given: str, url: str) -> None:
    assert config.normalize_url(given) == url


def test_a_url_without_scheme_is_refused() -> None:
    with pytest.raises(config.ConfigError, match="http:// or https://"):
        config.normalize_url("127.0.0.1:8000")


def test_completion_reads_the_cache() -> None:
    from levelup.cli.learner import complete_category, complete_item

    assert complete_item("topic:") == []  # no cache yet: no suggestions, no error
    config.cache_write(
        {
            "url": "http://x",
            "roadmap": "r",
            "items": [{"key": "topic:a", "title": "A"}, {"key": "project:b", "title": "B"}],
            "categories": [
                {"slug": "theory", "title": "Theory"},
                {"slug": "review", "title": "Review"},
            ],
        }
    )
    assert complete_item("topic:") == [("topic:a", "A")]
    assert complete_category("th") == [("theory", "Theory")]
    assert config.cache_is_fresh("http://x", "r")
    assert not config.cache_is_fresh("http://other", "r")
