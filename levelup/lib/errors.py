"""The domain's one error type, mapped to one JSON shape by `levelup.api`."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A request the domain refuses, with a message a person can act on.

    `errors` lists field-level problems as {"field": ..., "message": ...};
    `extra` carries anything else the client needs (the current state on a
    version conflict, for example).
    """

    status = 400

    def __init__(
        self,
        message: str,
        *,
        errors: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.extra = extra or {}
        if status is not None:
            self.status = status

    @classmethod
    def for_field(cls, field: str, message: str, **kwargs: Any) -> ApplicationError:
        """An error about one input field; the message names the field."""
        return cls(f"{field}: {message}", errors=[{"field": field, "message": message}], **kwargs)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message}
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class NotFound(ApplicationError):
    status = 404


class Conflict(ApplicationError):
    status = 409


class Invalid(ApplicationError):
    """Input that is well-formed but not acceptable (HTTP 422)."""

    status = 422


class Forbidden(ApplicationError):
    status = 403
