"""What may be written to a log: request lines without tokens, secrets or passwords.

The access log, Django's request warnings (`Not Found: /calendar/….ics`) and the
development server's request log all go through `redact`. Kept free of Django
imports: gunicorn's master process loads it before the application.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# Query parameters whose value is a credential, whatever else the URL says.
SECRET_PARAMETERS = (
    "token",
    "access_token",
    "api_key",
    "apikey",
    "key",
    "secret",
    "password",
    "passwd",
    "code",
    "signature",
    "sig",
    "auth",
    "sessionid",
)
_PARAMETER = re.compile(
    r"(?P<name>[?&;](?:" + "|".join(SECRET_PARAMETERS) + r")=)[^&;\s\"'#]*", re.IGNORECASE
)
# A personal access token (`lvl_<prefix>_<secret>`) anywhere: a path, a header, a body.
_TOKEN = re.compile(r"\blvl_[A-Za-z0-9_-]+")
# Paths whose own segments are secrets: the calendar feed, a mentoring invitation,
# a password-reset link (its last segment is the token; Django then redirects to
# `…/set-password/`, which is not a secret).
_SECRET_PATHS = (
    re.compile(r"(?P<head>/calendar/)[^/\s?\"']+(?P<tail>\.ics)"),
    re.compile(r"(?P<head>/mentoring/accept/)[^/\s?\"']+(?P<tail>)"),
    re.compile(r"(?P<head>/reset/[^/\s?\"']+/)(?!set-password)[^/\s?\"']+(?P<tail>)"),
)
# `scheme://user:password@host`: the password part.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]*(?=@)", re.I)


def mask_url_passwords(text: str) -> str:
    """`postgres://app:hunter2@db/x` → `postgres://app:[redacted]@db/x`."""
    return _URL_PASSWORD.sub(lambda m: m.group("head") + REDACTED, text)


def redact(text: str) -> str:
    """`text` with every token, secret query value, secret path segment and URL
    password replaced by `[redacted]`."""
    text = _TOKEN.sub("lvl_" + REDACTED, text)
    text = _PARAMETER.sub(lambda m: m.group("name") + REDACTED, text)
    for pattern in _SECRET_PATHS:
        text = pattern.sub(lambda m: m.group("head") + REDACTED + m.group("tail"), text)
    return mask_url_passwords(text)


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message through `redact`.

    Attach it to handlers: a filter on a handler sees records from every logger
    that reaches it, propagated ones included.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A record whose arguments do not fit its format: keep it, unformatted.
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        return True
