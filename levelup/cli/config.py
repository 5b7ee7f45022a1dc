"""Where the CLI keeps the server address, the token and its completion cache.

Precedence, highest first: command-line options, then `LEVELUP_URL`,
`LEVELUP_TOKEN` and `LEVELUP_ENROLLMENT`, then the config file. The file is
`$LEVELUP_CONFIG` if set, else `$XDG_CONFIG_HOME/levelup/config.toml`, else
`~/.config/levelup/config.toml`. It holds a secret, so it is written with mode
0600 (and its directory 0700) whatever the umask.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_ENV = "LEVELUP_CONFIG"
URL_ENV = "LEVELUP_URL"
TOKEN_ENV = "LEVELUP_TOKEN"
ENROLLMENT_ENV = "LEVELUP_ENROLLMENT"
# The roadmap behind an enrollment only changes when a new version is
# published; a day-old list of item keys is good enough for completion.
CACHE_MAX_AGE_SECONDS = 24 * 3600


class ConfigError(Exception):
    """The config file or an environment variable cannot be used; the message says which."""


@dataclass
class Settings:
    """The effective settings after merging the file and the environment."""

    url: str | None
    token: str | None
    enrollment: int | None
    path: Path


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "").strip()
    # The XDG spec says relative values are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def config_path() -> Path:
    """The config file this process reads and writes."""
    explicit = os.environ.get(CONFIG_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    return _xdg("XDG_CONFIG_HOME", ".config") / "levelup" / "config.toml"


def cache_dir() -> Path:
    return _xdg("XDG_CACHE_HOME", ".cache") / "levelup"


def read_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's table, or {} when it does not exist."""
    path = path or config_path()
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not valid TOML ({exc}); fix or delete it"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None


def write_file(values: dict[str, Any], path: Path | None = None) -> Path:
    """Replace the config file atomically, readable by its owner only."""
    import tomli_w

    path = path or config_path()
    clean = {k: v for k, v in values.items() if v is not None}
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkstemp creates the file 0600, so the token is never readable by
        # others, not even for a moment before a chmod.
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                tomli_w.dump(clean, handle)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"cannot write config file {path}: {exc.strerror}") from None
    return path


def _enrollment_value(value: Any, source: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: enrollment must be a number, not {value!r}") from None
    if number < 1:
        raise ConfigError(f"{source}: enrollment must be a positive number")
    return number


def load(*, enrollment: int | None = None) -> Settings:
    """Merge the file, the environment and an explicit `--enrollment`."""
    path = config_path()
    values = read_file(path)
    url = os.environ.get(URL_ENV, "").strip() or values.get("url") or None
    token = os.environ.get(TOKEN_ENV, "").strip() or values.get("token") or None
    chosen = enrollment
    if chosen is None:
        chosen = _enrollment_value(os.environ.get(ENROLLMENT_ENV), ENROLLMENT_ENV)
    if chosen is None:
        chosen = _enrollment_value(values.get("enrollment"), str(path))
    return Settings(
        url=normalize_url(url) if url else None, token=token, enrollment=chosen, path=path
    )


def normalize_url(url: str) -> str:
    """`http://host:8000/` or `http://host:8000/api/v1` → `http://host:8000`."""
    url = url.strip().rstrip("/")
    if url.endswith("/api/v1"):
        url = url[: -len("/api/v1")]
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"url {url!r} must start with http:// or https://")
    return url


# --- completion cache -------------------------------------------------------


def _cache_file() -> Path:
    return cache_dir() / "completion.json"


def cache_read() -> dict[str, Any]:
    """The cached item keys and categories, or {} (completion must never fail)."""
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cache_is_fresh(url: str, roadmap: str) -> bool:
    data = cache_read()
    age = time.time() - float(data.get("saved_at", 0))
    return data.get("url") == url and data.get("roadmap") == roadmap and age < CACHE_MAX_AGE_SECONDS


def cache_write(data: dict[str, Any]) -> None:
    """Save the completion cache; failures are ignored because it is only a convenience."""
    target = _cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".completion-", suffix=".json", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({**data, "saved_at": time.time()}, handle)
        os.replace(tmp, target)
    except OSError:
        pass


def cache_clear() -> None:
    _cache_file().unlink(missing_ok=True)
