"""Security helpers: the secret key kept in the data directory, the response
headers Django 5.2 does not set by itself, private files in the data directory,
and the loopback-only rule of debug mode."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

SECRET_KEY_FILE = "secret_key"
SECRET_KEY_MIN_LENGTH = 50

# Pages are server-rendered with first-party scripts and styles only; nothing
# inline, nothing from another origin. The API docs page is the one exception
# (its bundled Swagger UI sets styles inline), so it gets a policy of its own.
STRICT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
DOCS_POLICY = STRICT_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    """Adds a strict Content-Security-Policy to every response that lacks one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = (
                DOCS_POLICY
                if request.path.startswith(("/api/docs", "/api/v1/docs"))
                else STRICT_POLICY
            )
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def secret_key_load_or_create(data_dir: Path) -> str:
    """The secret key kept in `data_dir`, generated (mode 0600) the first time.

    Sessions, CSRF tokens and password-reset links are signed with it, so it
    must survive restarts and be the same for every worker process.
    """
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        # Write the key to a private temporary file, then link it into place:
        # link() fails if the name exists, so when two processes start at once
        # exactly one key wins and nobody ever reads a half-written file.
        temporary = data_dir / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(64))
            # Another process linked its key first; that key is the one.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink()
    key = path.read_text().strip()
    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{path} does not hold a usable secret key; delete it to have one generated, "
            "or set SECRET_KEY"
        )
    return key


# --- Files in the data directory ---------------------------------------------
# The data directory holds the database, the secret key, the signing key and
# backups: only the account that runs levelup may enter it or read them.
DATA_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# Files that are tightened at every start, whatever created them (an older
# version, a copy, `sqlite3` on the command line). SQLite gives its -wal and
# -shm files the mode of the database file.
PRIVATE_FILE_NAMES = (
    SECRET_KEY_FILE,
    "credential_signing_key.pem",
    "levelup.sqlite3",
    "levelup.sqlite3-wal",
    "levelup.sqlite3-shm",
)
BACKUP_DIR_NAME = "backups"


def data_dir_prepare(data_dir: Path) -> None:
    """Create `data_dir` (mode 0700) or tighten the one that exists, and its private files.

    A directory that other accounts may write into (such as /tmp) is refused: levelup
    cannot make it private, and narrowing it would break everyone else using it.
    """
    data_dir.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
    status = data_dir.stat()
    if status.st_mode & 0o002:
        raise ImproperlyConfigured(
            f"LEVELUP_DATA_DIR: {data_dir} can be written by every account on this machine; "
            "give levelup a directory of its own"
        )
    if status.st_uid != os.getuid():
        # Not ours to change (a directory prepared by an administrator); leave it.
        return
    if status.st_mode & 0o777 != DATA_DIR_MODE:
        data_dir.chmod(DATA_DIR_MODE)
    for name in PRIVATE_FILE_NAMES:
        private_file_tighten(data_dir / name)
    backups = data_dir / BACKUP_DIR_NAME
    if backups.is_dir():
        backups.chmod(DATA_DIR_MODE)
        for child in backups.iterdir():
            private_file_tighten(child)


def private_file_tighten(path: Path) -> None:
    """Make an existing file readable and writable by its owner only."""
    with contextlib.suppress(FileNotFoundError):
        if path.is_file() and path.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
            path.chmod(PRIVATE_FILE_MODE)


def private_file_create(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (an empty file is a valid
    SQLite database, so the database is private from its first byte)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))


# --- Debug mode ----------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server reachable from this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        # A host name other than localhost may resolve anywhere.
        return False


def debug_bind_refusal(host: str, *, debug: bool) -> str | None:
    """Why serving on `host` is refused with DEBUG on, or None when it is allowed."""
    if not debug or is_loopback(host):
        return None
    return (
        f"LEVELUP_DEBUG is on and the server would listen on {host or 'every address'}: "
        "Django's debug pages show code, settings and request data to whoever can reach "
        "them, so debug mode only serves on 127.0.0.1, ::1 or localhost; "
        "turn LEVELUP_DEBUG off or bind a loopback address"
    )
