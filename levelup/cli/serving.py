"""What `levelup serve` hands gunicorn beyond the bind address and workers.

- A directory to run from where `levelup` can only mean this package: the one that
  holds it. Started from a folder with its own `levelup/` (a clone, another project),
  gunicorn would otherwise import that instead, since it puts its working directory
  first on `sys.path` (and it would run a `gunicorn.conf.py` found there).
- A control socket of the instance's own, in the data directory, instead of gunicorn's
  one default path per account, which every instance would take from the previous one.
- An access and error log that never holds a token, a calendar secret or a password
  (`levelup.lib.logs.redact`).
"""

from __future__ import annotations

import re
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


def control_socket_for(data_dir: Path, host: str, port: int) -> Path | None:
    """This instance's control socket, or None when the path would be too long for one."""
    address = re.sub(r"[^A-Za-z0-9.-]", "_", host.strip("[]")) or "all"
    path = data_dir / RUN_DIR_NAME / f"gunicorn-{address}-{port}.ctl"
    if len(str(path).encode()) > SOCKET_PATH_MAX:
        return None
    return path


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
