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
    long, the socket goes to the account's private runtime directory (where gunicorn
    would put its shared one) under a name unique to data directory and address. None
    when even that is too long.
    """
    environ = os.environ if environ is None else environ
    address = re.sub(r"[^A-Za-z0-9.-]", "_", host.strip("[]")) or "all"
    preferred = data_dir / RUN_DIR_NAME / f"{address}-{port}.ctl"
    if len(str(preferred).encode()) <= SOCKET_PATH_MAX:
        return preferred
    runtime = environ.get("XDG_RUNTIME_DIR", "")
    folder = Path(runtime) if runtime and Path(runtime).is_dir() else Path.home() / ".gunicorn"
    digest = hashlib.sha256(f"{data_dir}\0{host}\0{port}".encode()).hexdigest()[:16]
    fallback = folder / f"levelup-{digest}.ctl"
    if len(str(fallback).encode()) <= SOCKET_PATH_MAX:
        return fallback
    return None


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
