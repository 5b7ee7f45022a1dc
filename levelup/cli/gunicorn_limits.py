"""The request limits `levelup serve` gives gunicorn, in one place (docs/security.md).

gunicorn refuses a request whose request line or headers break these limits (400 or
431) before Django sees it. Bodies are capped by Django's request-size middleware,
which answers from the declared Content-Length, so gunicorn needs no body limit.
"""

from __future__ import annotations

# Longest request line (method, path with query, protocol); gunicorn's own maximum is
# 8190. The longest address levelup makes, a journal filter with every field, is far
# below it.
LIMIT_REQUEST_LINE = 4094
# Header fields per request: a browser sends about 15, a proxy adds a few.
LIMIT_REQUEST_FIELDS = 50
# Bytes of one header field, cookies included.
LIMIT_REQUEST_FIELD_SIZE = 8190


def gunicorn_limit_args() -> list[str]:
    """Command-line options for gunicorn that set the limits above."""
    return [
        "--limit-request-line",
        str(LIMIT_REQUEST_LINE),
        "--limit-request-fields",
        str(LIMIT_REQUEST_FIELDS),
        "--limit-request-field_size",
        str(LIMIT_REQUEST_FIELD_SIZE),
    ]
