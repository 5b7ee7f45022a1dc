"""`levelup --help` answered from a saved copy of its last rendering.

Rendering the help with Typer and Rich imports about a hundred modules, which
costs a learner a quarter of a second for a screen of text that only changes
when the CLI changes. The first `levelup … --help` renders it as usual and saves
what it printed; later ones print the saved copy. The copy is keyed by
everything the rendering depends on: the arguments, levelup's version, the size
and modification time of every CLI source file, the terminal's width and
whether output is a terminal, and the environment variables Rich reads for
colour and width. Any change renders afresh.

This module imports only `os` and `sys` (already loaded by the interpreter),
so the fast path costs little more than starting Python.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

# Rich's colour and size decisions read these.
_ENV = (
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "_TYPER_FORCE_DISABLE_TERMINAL",
    "TERMINAL_WIDTH",
)
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz-_")


def is_help_request(args: list[str]) -> bool:
    """`levelup --help`, `levelup log --help`, `levelup user create --help`: command
    words only, then `--help`. Anything else goes through Typer untouched."""
    if not args or args[-1] != "--help":
        return False
    return all(word and set(word) <= _WORD_CHARS for word in args[:-1])


def _cli_dir() -> str:
    return os.path.dirname(os.path.abspath(__file__))


def fingerprint(args: list[str]) -> str:
    from levelup import __version__

    # The program name shows in "Usage: …" (`levelup` or `python -m levelup.cli`).
    program = os.path.basename(sys.argv[0]) if sys.argv else ""
    parts = ["levelup-help-1", __version__, program, "\x1f".join(args)]
    folder = _cli_dir()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            stat = os.stat(os.path.join(folder, name))
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    try:
        tty = os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        tty = False
    width = ""
    if tty:
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
            width = f"{size.columns}x{size.lines}"
        except OSError:
            width = "?"
    parts.append(f"tty={tty} size={width}")
    parts.extend(f"{name}={os.environ.get(name, '')}" for name in _ENV)
    return "\x1e".join(parts)


def _cache_path(key: str) -> str:
    # Same folder as the completion cache (config.cache_dir), resolved without
    # importing config (pathlib, tomllib and tempfile cost more than this check).
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    # A short, stable name; the full key inside the file decides a hit.
    total = 0
    for char in key:
        total = (total * 131 + ord(char)) % (1 << 61)
    return os.path.join(base, "levelup", "help", f"{total:016x}.txt")


class _Tee:
    """Passes writes to the real stream and keeps a copy; everything else (isatty,
    fileno, encoding) is the real stream's, so Rich renders exactly as it would.
    Click writes some text as bytes, to the stream or to its binary buffer; both
    are kept, in order."""

    def __init__(self, stream: Any, copy: list[str] | None = None) -> None:
        self._stream = stream
        self.copy: list[str] = [] if copy is None else copy

    def write(self, text: str | bytes) -> int:
        self.copy.append(text.decode("utf-8", "replace") if isinstance(text, bytes) else text)
        return int(self._stream.write(text))

    @property
    def buffer(self) -> _Tee:
        self._stream.flush()
        return _Tee(self._stream.buffer, self.copy)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def run(args: list[str], render: Callable[[], None]) -> None:
    """Print the saved help for `args` if there is one; else render it and save it."""
    key = fingerprint(args)
    path = _cache_path(key)
    try:
        with open(path, encoding="utf-8") as saved:
            if saved.readline().rstrip("\n") == key.replace("\n", " "):
                sys.stdout.write(saved.read())
                sys.stdout.flush()
                return
    except (OSError, UnicodeDecodeError):
        pass
    real = sys.stdout
    tee = _Tee(real)
    sys.stdout = tee
    code: object = 0
    try:
        render()
    except SystemExit as exc:
        code = exc.code
        raise
    finally:
        sys.stdout = real
        if code in (0, None):
            _save(path, key, "".join(tee.copy))


def _save(path: str, key: str, text: str) -> None:
    """Write atomically; a cache that cannot be written is only a slower --help."""
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(key.replace("\n", " ") + "\n" + text)
        os.replace(temporary, path)
    except OSError:
        pass
