"""Security helpers: the secret key kept in the data directory, and the response
headers Django 5.2 does not set by itself."""

from __future__ import annotations

import contextlib
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
