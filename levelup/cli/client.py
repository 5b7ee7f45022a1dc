"""A small HTTP client for the levelup API, with the CLI's failure rules.

Every failure becomes a `CliError` carrying one line for stderr and a distinct
exit code (see `ExitCode` and docs/cli.md), so no command ever shows a
traceback. Transient failures are retried: a request that never reached the
server always, and a request that may have reached it (a dropped response, a
502/503/504) only when repeating it is harmless: reads, and writes carrying an
`Idempotency-Key` that the server uses to answer a repeat with the first result.
"""

from __future__ import annotations

import contextlib
import http.client
import json as jsonlib
import os
import time
from dataclasses import dataclass
from enum import IntEnum
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from levelup import __version__

API_PREFIX = "/api/v1"
RETRY_STATUSES = {502, 503, 504}
DEFAULT_RETRIES = 3
# Short waits: a person is watching the terminal. With three retries the
# whole budget is under two seconds.
BACKOFF_SECONDS = (0.2, 0.5, 1.0)
MAX_RETRY_AFTER = 5.0


class ExitCode(IntEnum):
    """Exit status of `levelup` learner commands (documented in docs/cli.md)."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    NOT_SET_UP = 3
    UNREACHABLE = 4
    AUTH = 5
    NOT_FOUND = 6
    INVALID = 7
    CONFLICT = 8
    SERVER = 9


class CliError(Exception):
    """A failure to report as one `error: …` line and a non-zero exit."""

    def __init__(
        self, message: str, code: ExitCode = ExitCode.UNEXPECTED, body: Any = None
    ) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())
        self.code = code
        self.body = body


def item_path(key: str) -> str:
    """Item keys (`topic:x/y`) go into the path as they are; only characters
    that would break the URL are escaped."""
    return quote(key, safe=":/-_.")


def _retries() -> int:
    raw = os.environ.get("LEVELUP_RETRIES", "").strip()
    if raw.isdigit():
        return int(raw)
    return DEFAULT_RETRIES


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Response:
    """What a request answered: enough of HTTP for the commands and error rules."""

    status_code: int
    headers: http.client.HTTPMessage  # case-insensitive .get()
    content: bytes
    path: str

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class ConnectFailed(Exception):
    """Nothing reached the server (refused, unknown host, connect timeout)."""


class AnswerLost(Exception):
    """The request may have reached the server; its answer did not arrive."""


class AnswerTimeout(AnswerLost):
    """The server took longer than the timeout to answer."""


class _Transport:
    """One keep-alive connection on the standard library's http.client.

    The CLI used httpx; importing it cost a learner a tenth of a second on every
    command, for features (HTTP/2, async, connection pools) one command never uses.
    """

    def __init__(self, url: str, headers: dict[str, str], timeout: float, connect: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConnectFailed(f"{url!r} is not an http:// or https:// address")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.prefix = parts.path.rstrip("/")
        self.headers = headers
        self.timeout = timeout
        self.connect_timeout = connect
        self._conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if self.scheme == "https":
            import ssl  # only for https: a tenth of the import time of a plain call

            conn = http.client.HTTPSConnection(
                self.host,
                self.port,
                timeout=self.connect_timeout,
                context=ssl.create_default_context(),
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
        try:
            conn.connect()
        except TimeoutError as exc:
            conn.close()
            raise ConnectFailed(f"timed out after {self.connect_timeout:g} s") from exc
        except OSError as exc:
            conn.close()
            raise ConnectFailed(exc.strerror or str(exc) or type(exc).__name__) from exc
        if conn.sock is not None:
            conn.sock.settimeout(self.timeout)
        return conn

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None,
        headers: dict[str, str],
    ) -> Response:
        if self._conn is None:
            self._conn = self._connect()
        conn = self._conn
        target = self.prefix + path
        try:
            conn.request(method, target, body=body, headers={**self.headers, **headers})
            answer = conn.getresponse()
            content = answer.read()
        except TimeoutError as exc:
            self.close()
            raise AnswerTimeout("no answer in time") from exc
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise AnswerLost(str(exc) or type(exc).__name__) from exc
        if answer.will_close:
            self.close()
        return Response(
            status_code=answer.status,
            headers=answer.msg,
            content=content,
            path=target.split("?", 1)[0],
        )

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class Client:
    """Talks to one levelup server as one user."""

    def __init__(self, url: str, token: str | None, *, timeout: float = 30.0) -> None:
        self.url = url
        self.token = token
        headers = {"User-Agent": f"levelup-cli/{__version__}", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.retries = _retries()
        try:
            self._http: _Transport | None = _Transport(
                url + API_PREFIX, headers, timeout=timeout, connect=5.0
            )
        except ConnectFailed as exc:
            self._http = None
            self._bad_url = str(exc)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests -----------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        replay_safe: bool | None = None,
    ) -> Response:
        """Send a request, retrying transient failures; raise CliError for any error status."""
        if self._http is None:
            raise self._transport_error(ConnectFailed(self._bad_url))
        if replay_safe is None:
            replay_safe = method in ("GET", "HEAD") or bool(
                headers and "Idempotency-Key" in headers
            )
        if params:
            path = f"{path}?{urlencode(params)}"
        payload: bytes | None = None
        sent = dict(headers or {})
        if json is not None:
            payload = jsonlib.dumps(json).encode()
            sent["Content-Type"] = "application/json"
        attempt = 0
        while True:
            try:
                response = self._http.request(method, path, body=payload, headers=sent)
            except ConnectFailed as exc:
                # Nothing reached the server, so trying again is always safe.
                if attempt < self.retries:
                    self._wait(attempt)
                    attempt += 1
                    continue
                raise self._transport_error(exc) from None
            except AnswerLost as exc:
                # The request may have been processed and only the answer lost.
                if replay_safe and attempt < self.retries:
                    self._wait(attempt)
                    attempt += 1
                    continue
                raise self._transport_error(exc) from None
            if response.status_code in RETRY_STATUSES and replay_safe and attempt < self.retries:
                self._wait(attempt, response.headers.get("Retry-After"))
                attempt += 1
                continue
            if response.status_code >= 400:
                raise self._status_error(method, path, response)
            if 300 <= response.status_code < 400:
                # Following a redirect would resend the token to wherever it
                # points; say where it goes and let the learner decide.
                target = response.headers.get("Location", "elsewhere")
                raise CliError(
                    f"the server at {self.url} redirects {method} {API_PREFIX}{path} to {target}; "
                    "run 'levelup login' with the address it redirects to",
                    ExitCode.UNEXPECTED,
                )
            return response

    def get(self, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v is not None}
        return self._json(self.request("GET", path, params=clean or None))

    def post(self, path: str, body: Any, *, idempotency_key: str | None = None) -> tuple[Any, bool]:
        """The created object, and whether the server replayed an earlier result for the key."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        response = self.request("POST", path, json=body, headers=headers)
        replayed = response.headers.get("Idempotent-Replayed", "").lower() == "true"
        return self._json(response), replayed or response.status_code == 200

    def put(self, path: str, body: Any, *, if_match: str | None = None) -> Any:
        headers = {"If-Match": if_match} if if_match else None
        # Without If-Match, setting a status is idempotent; with it, a repeat
        # after a lost answer would only get a spurious conflict.
        response = self.request(
            "PUT", path, json=body, headers=headers, replay_safe=if_match is None
        )
        return self._json(response)

    def patch(self, path: str, body: Any) -> Any:
        # Setting fields to given values is idempotent, so a lost answer may be retried.
        return self._json(self.request("PATCH", path, json=body, replay_safe=True))

    # --- helpers ------------------------------------------------------------

    def _wait(self, attempt: int, retry_after: str | None = None) -> None:
        delay = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)]
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = min(max(float(retry_after), delay), MAX_RETRY_AFTER)
        time.sleep(delay)

    def _json(self, response: Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise CliError(
                f"the server at {self.url} answered {response.path} with something "
                "that is not JSON; is this the address of a levelup server?",
                ExitCode.SERVER,
            ) from None

    def _transport_error(self, exc: Exception) -> CliError:
        if isinstance(exc, ConnectFailed):
            reason = _one_line(str(exc)) or "connection failed"
            return CliError(
                f"cannot reach the levelup server at {self.url} ({reason}); "
                "check the address and your network",
                ExitCode.UNREACHABLE,
            )
        if isinstance(exc, AnswerTimeout):
            return CliError(
                f"the levelup server at {self.url} did not answer in time; try again later",
                ExitCode.UNREACHABLE,
            )
        reason = _one_line(str(exc)) or type(exc).__name__
        return CliError(
            f"the connection to {self.url} broke before an answer arrived ({reason}); try again",
            ExitCode.UNREACHABLE,
        )

    def _status_error(self, method: str, path: str, response: Response) -> CliError:
        status = response.status_code
        body: Any = None
        is_json = "json" in response.headers.get("content-type", "")
        if is_json:
            try:
                body = response.json()
            except ValueError:
                body = None
        detail = ""
        errors: list[dict[str, Any]] = []
        if isinstance(body, dict):
            detail = str(body.get("detail") or "")
            raw_errors = body.get("errors")
            if isinstance(raw_errors, list):
                errors = [e for e in raw_errors if isinstance(e, dict)]
        route = f"{method} {API_PREFIX}{path}"
        if status == 401:
            return CliError(
                f"the server at {self.url} refused the token (401): it is mistyped, expired "
                f"or revoked; create one at {self.url}/accounts/tokens/ and run "
                f"'levelup login {self.url}'",
                ExitCode.AUTH,
                body,
            )
        if status == 403:
            return CliError(
                f"forbidden: {detail or 'this token may not do that'}", ExitCode.AUTH, body
            )
        if status == 404:
            if not is_json:
                return CliError(
                    f"the server at {self.url} has no {route} (404); is it a levelup server of "
                    "this version?",
                    ExitCode.NOT_FOUND,
                )
            return CliError(f"not found: {detail or route}", ExitCode.NOT_FOUND, body)
        if status in (400, 422):
            if errors:
                text = "; ".join(
                    f"{e.get('field')}: {e.get('message')}"
                    if e.get("field")
                    else str(e.get("message"))
                    for e in errors
                )
            else:
                text = detail or f"the server refused {route}"
            return CliError(text, ExitCode.INVALID, body)
        if status == 409:
            return CliError(detail or f"conflict on {route}", ExitCode.CONFLICT, body)
        if status >= 500:
            return CliError(
                f"the server failed (HTTP {status}) on {route}; "
                "try again later or tell its operator",
                ExitCode.SERVER,
                body,
            )
        return CliError(
            f"the server refused {route} (HTTP {status}){': ' + detail if detail else ''}",
            ExitCode.UNEXPECTED,
            body,
        )
