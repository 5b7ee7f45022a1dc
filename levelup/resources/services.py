"""Writes of the reading list and certifications.

Each write validates every field first and reports all bad ones together (`Invalid`,
422), so nothing is half-saved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from levelup.accounts.models import User
from levelup.lib.errors import Conflict, Invalid
from levelup.resources import selectors
from levelup.resources.models import (
    Certification,
    CertificationStatus,
    ReadingItem,
    ReadingKind,
    ReadingStatus,
)

TITLE_MAX = 200
NOTE_MAX = 10_000
_UNSET: Any = object()


def _url_ok(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return len(url) <= 2000


def _raise(errors: list[dict[str, str]]) -> None:
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)


def _check_common(
    values: dict[str, Any], errors: list[dict[str, str]], url_fields: tuple[str, ...]
) -> None:
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            errors.append({"field": "title", "message": "is required"})
        elif len(values["title"]) > TITLE_MAX:
            errors.append({"field": "title", "message": f"use at most {TITLE_MAX} characters"})
    for name in url_fields:
        if name in values:
            values[name] = (values[name] or "").strip()
            if values[name] and not _url_ok(values[name]):
                errors.append({"field": name, "message": "must be an http or https address"})
    if "note" in values:
        values["note"] = values["note"] or ""
        if len(values["note"]) > NOTE_MAX:
            errors.append({"field": "note", "message": f"use at most {NOTE_MAX} characters"})


# --- reading list ------------------------------------------------------------------


def _check_reading(values: dict[str, Any], errors: list[dict[str, str]]) -> None:
    _check_common(values, errors, ("url",))
    if "kind" in values and values["kind"] not in ReadingKind.values:
        errors.append(
            {"field": "kind", "message": f"must be one of {', '.join(ReadingKind.values)}"}
        )
    if "status" in values and values["status"] not in ReadingStatus.values:
        errors.append(
            {"field": "status", "message": f"must be one of {', '.join(ReadingStatus.values)}"}
        )
    rating = values.get("rating")
    if rating is not None and not (isinstance(rating, int) and 1 <= rating <= 5):
        errors.append({"field": "rating", "message": "must be a whole number from 1 to 5"})
    if "authors" in values:
        values["authors"] = (values["authors"] or "").strip()
        if len(values["authors"]) > 300:
            errors.append({"field": "authors", "message": "use at most 300 characters"})


def _finished_on(item: ReadingItem, today: date) -> None:
    # Finishing stamps the day; leaving "finished" clears it.
    if item.status == ReadingStatus.FINISHED:
        item.finished_on = item.finished_on or today
    else:
        item.finished_on = None


def reading_item_add(
    *,
    user: User,
    source_key: str = "",
    title: str = "",
    kind: str = ReadingKind.BOOK,
    authors: str = "",
    url: str = "",
    status: str = ReadingStatus.WANT,
    note: str = "",
    rating: int | None = None,
) -> ReadingItem:
    """Put a roadmap suggestion (by `source_key`) or the learner's own title on the list."""
    values: dict[str, Any] = {"status": status, "note": note, "rating": rating}
    errors: list[dict[str, str]] = []
    if source_key:
        suggestion = selectors.suggestion_get(user=user, key=source_key)
        if suggestion.kind == "certification":
            raise Invalid.for_field("source_key", "names a certification; add it there")
        values.update(
            title=suggestion.title,
            kind=suggestion.kind,
            authors=suggestion.authors,
            url=suggestion.url,
        )
    else:
        values.update(title=title, kind=kind, authors=authors, url=url)
    _check_reading(values, errors)
    _raise(errors)
    item = ReadingItem(user=user, source_key=source_key, **values)
    _finished_on(item, user.local_today())
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        raise Conflict.for_field("source_key", f"{source_key!r} is already on your list") from None
    return item


def reading_item_update(*, item: ReadingItem, **changes: Any) -> ReadingItem:
    """Change status, note, rating (or, for own additions, title, kind, authors, URL)."""
    allowed = {"status", "note", "rating"}
    if not item.source_key:
        allowed |= {"title", "kind", "authors", "url"}
    errors: list[dict[str, str]] = []
    for name in changes:
        if name not in allowed:
            errors.append(
                {"field": name, "message": "comes from the roadmap and cannot be changed"}
            )
    values = dict(changes)
    _check_reading(values, errors)
    _raise(errors)
    for name, value in values.items():
        setattr(item, name, value)
    _finished_on(item, item.user.local_today())
    item.save()
    return item


def reading_item_delete(*, item: ReadingItem) -> None:
    """Take an item off the list (a suggestion becomes a suggestion again)."""
    item.delete()


# --- certifications ----------------------------------------------------------------


def _check_certification(cert: Certification, errors: list[dict[str, str]]) -> None:
    if cert.status not in CertificationStatus.values:
        errors.append(
            {
                "field": "status",
                "message": f"must be one of {', '.join(CertificationStatus.values)}",
            }
        )
    if cert.status == CertificationStatus.BOOKED and cert.exam_date is None:
        errors.append({"field": "exam_date", "message": "is required when the exam is booked"})
    if cert.status == CertificationStatus.PASSED and cert.passed_on is None:
        errors.append({"field": "passed_on", "message": "is required once passed"})
    if cert.expires_on and cert.passed_on and cert.expires_on <= cert.passed_on:
        errors.append({"field": "expires_on", "message": "must be after the day it was passed"})
    if len(cert.issuer) > 200:
        errors.append({"field": "issuer", "message": "use at most 200 characters"})


def certification_add(
    *,
    user: User,
    source_key: str = "",
    title: str = "",
    issuer: str = "",
    status: str = CertificationStatus.PLANNED,
    exam_date: date | None = None,
    passed_on: date | None = None,
    credential_url: str = "",
    expires_on: date | None = None,
    note: str = "",
) -> Certification:
    """Track a certification the roadmap names (by `source_key`) or one of the learner's own."""
    values: dict[str, Any] = {"credential_url": credential_url, "note": note}
    if source_key:
        suggestion = selectors.suggestion_get(user=user, key=source_key)
        if suggestion.kind != "certification":
            raise Invalid.for_field("source_key", "is not a certification")
        values.update(title=suggestion.title)
        issuer = suggestion.issuer
    else:
        values.update(title=title)
    errors: list[dict[str, str]] = []
    _check_common(values, errors, ("credential_url",))
    cert = Certification(
        user=user,
        source_key=source_key,
        issuer=(issuer or "").strip(),
        status=status,
        exam_date=exam_date,
        passed_on=passed_on,
        expires_on=expires_on,
        **values,
    )
    _check_certification(cert, errors)
    _raise(errors)
    try:
        with transaction.atomic():
            cert.save()
    except IntegrityError:
        raise Conflict.for_field("source_key", f"{source_key!r} is already tracked") from None
    return cert


def certification_update(*, certification: Certification, **changes: Any) -> Certification:
    """Change status and dates, credential URL, note (and for own ones title and issuer)."""
    allowed = {"status", "exam_date", "passed_on", "credential_url", "expires_on", "note"}
    if not certification.source_key:
        allowed |= {"title", "issuer"}
    errors: list[dict[str, str]] = []
    for name in changes:
        if name not in allowed:
            errors.append(
                {"field": name, "message": "comes from the roadmap and cannot be changed"}
            )
    values = dict(changes)
    _check_common(values, errors, ("credential_url",))
    if "issuer" in values:
        values["issuer"] = (values["issuer"] or "").strip()
    original = {name: getattr(certification, name) for name in values}
    for name, value in values.items():
        setattr(certification, name, value)
    _check_certification(certification, errors)
    if errors:
        for name, value in original.items():
            setattr(certification, name, value)
        _raise(errors)
    certification.save()
    return certification


def certification_delete(*, certification: Certification) -> None:
    """Stop tracking a certification."""
    certification.delete()
