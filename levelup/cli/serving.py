"""What `levelup serve` hands gunicorn beyond the bind address and workers.

- A directory to run from where `levelup` can only mean this package: the one that
  holds it. Started from a folder with its own `levelup/` (a clone, another project),
  gunicorn would otherwise import that instead, since it puts its working directory
  first on `sys.path` (and it would run a `gunicorn.conf.py` found there).
- A control socket of the instance's own, in the data directory, instead of gunicorn's
  one default path per account, which every instance would take from the previous one
  (gunicorn removes an existing socket file and binds its own).
- An access and error log that never holds a token, a calendar secret or a password
  (`levelup.lib.logs.redact`).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gunicorn import glogging

import levelup
from levelup.lib.logs import RedactingFilter

# The longest path a Unix socket address takes on Linux (108 bytes with the final NUL);
# macOS allows 104, so stay below both.
SOCKET_PATH_MAX = 100
RUN_DIR_NAME = "run"

_REDACT = RedactingFilter()


def package_home() -> Path:
    """The directory that holds this `levelup` package (the checkout or site-packages)."""
    return Path(levelup.__file__).resolve().parent.parent


def control_socket_for(
    data_dir: Path, host: str, port: int, environ: Mapping[str, str] | None = None
) -> Path | None:
    """This instance's control socket: in the data directory, named for the address.

    A socket's path has a short length limit; when the data directory's path is too
    long, the socket goes to the first private folder of the account whose path is
    short enough: the runtime directory, `~/.gunicorn` (where gunicorn would put its
    shared one), else `levelup-<uid>` in the temporary directory, made 0700. There it
    is named uniquely for data directory and address. None when every path is too long.
    """
    environ = os.environ if environ is None else environ
    address = re.sub(r"[^A-Za-z0-9.-]", "_", host.strip("[]")) or "all"
    preferred = data_dir / RUN_DIR_NAME / f"{address}-{port}.ctl"
    if _fits(preferred):
        return preferred
    digest = hashlib.sha256(f"{data_dir}\0{host}\0{port}".encode()).hexdigest()[:16]
    name = f"levelup-{digest}.ctl"
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir() and _fits(Path(runtime) / name):
        return Path(runtime) / name
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    if _fits(home / ".gunicorn" / name):
        return home / ".gunicorn" / name
    temporary = Path(environ.get("TMPDIR") or tempfile.gettempdir()) / f"levelup-{os.getuid()}"
    if _fits(temporary / name) and _private_folder(temporary):
        return temporary / name
    return None


def _fits(path: Path) -> bool:
    return len(str(path).encode()) <= SOCKET_PATH_MAX


def _private_folder(folder: Path) -> bool:
    """Make `folder` 0700 if it is missing; whether it is a folder only this account reaches.

    A shared temporary directory lets anyone create the name first, so a folder that is
    a link, another account's, or open to others is refused rather than used.
    """
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not stat.S_IMODE(info.st_mode) & 0o077
    )


def has_control_socket() -> bool:
    """Whether the installed gunicorn has a control socket (25.1 and later)."""
    from gunicorn import config

    return hasattr(config, "ControlSocket")


class RedactingLogger(glogging.Logger):
    """gunicorn's logger with every message, access lines included, redacted."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if _REDACT not in log.filters:
                log.addFilter(_REDACT)
