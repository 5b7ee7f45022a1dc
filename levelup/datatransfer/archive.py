"""The account archive: export, import and deletion of everything a learner owns.

Format (documented in docs/data.md)::

    {
      "format": "levelup-account/1",
      "exported_at": "2026-12-02T10:00:00+00:00",
      "levelup_version": "…",
      "profile": {"username", "email", "display_name", "time_zone", "week_start"},
      "roadmaps": [{"slug", "title", "content_hash", "document"}],   # pinned versions
      "data": {"enrollments": [{"ref": 1, …}], "pauses": [{"ref": 1, "enrollment": 1, …}], …},
      "integrity": {"algorithm": "sha256", "digest": "…"}
    }

Rows carry archive-local references (`ref`, counted from 1 per kind), never database
ids, so exporting, importing elsewhere and exporting again gives the same archive except
for `exported_at` (and so the digest). A foreign key to another kind is that row's `ref`;
to a roadmap its slug; to a roadmap version ``{"roadmap": slug, "content_hash": …}``; to a
user "@self" or the other user's username.

The digest is SHA-256 over the canonical JSON of everything but `integrity`. It detects
a damaged or hand-edited file; it is not a signature (anyone can recompute it), so
import still validates every field.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from levelup import __version__
from levelup.accounts.models import User
from levelup.accounts.services import profile_update
from levelup.accounts.throttle import login_failure_record, login_lockout
from levelup.datatransfer.registry import KINDS, USER_REFERENCES, Kind
from levelup.lib.errors import ApplicationError, Conflict, Forbidden, Invalid
from levelup.roadmaps.models import Roadmap, RoadmapVersion

FORMAT = "levelup-account/1"
PROFILE_FIELDS = ("username", "email", "display_name", "time_zone", "week_start")
SELF = "@self"


# --- shared helpers ------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(archive: dict[str, Any]) -> str:
    body = {k: v for k, v in archive.items() if k != "integrity"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def _kind_models() -> dict[type[models.Model], Kind]:
    return {kind.model: kind for kind in KINDS}


def _fields(kind: Kind) -> list[models.Field[Any, Any]]:
    """The fields a row of this kind carries in the archive, in model order."""
    return [
        f
        for f in kind.model._meta.concrete_fields
        if not f.primary_key and f.name not in kind.secret
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def owned_rows(kind: Kind, user: User) -> models.QuerySet[Any]:
    return kind.model._default_manager.filter(**{kind.owner: user})


# --- export --------------------------------------------------------------------------


def account_export(*, user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything `user` owns as one archive (see the module docstring)."""
    by_model = _kind_models()
    refs: dict[type[models.Model], dict[int, int]] = {}
    data: dict[str, list[dict[str, Any]]] = {}
    versions: dict[int, RoadmapVersion] = {}
    for kind in KINDS:
        fields = _fields(kind)
        related = [
            f.name
            for f in fields
            if f.is_relation and f.related_model in (Roadmap, RoadmapVersion, User)
        ]
        rows = []
        kind_refs: dict[int, int] = {}
        for position, obj in enumerate(
            owned_rows(kind, user).select_related(*related).order_by("pk"), start=1
        ):
            kind_refs[obj.pk] = position
            row: dict[str, Any] = {"ref": position}
            for f in fields:
                if not f.is_relation:
                    row[f.name] = _plain(f.value_from_object(obj))
                    continue
                target_id = getattr(obj, f.attname)
                target = f.related_model
                if target_id is None:
                    row[f.name] = None
                elif target in by_model:
                    row[f.name] = refs[target][target_id]
                elif target is User:
                    if (
                        f"{kind.model_label}.{f.name}" not in USER_REFERENCES
                        and target_id == user.pk
                    ):
                        continue  # the owner link itself: implied by the archive
                    other = getattr(obj, f.name)
                    row[f.name] = SELF if target_id == user.pk else other.username
                elif target is Roadmap:
                    row[f.name] = getattr(obj, f.name).slug
                elif target is RoadmapVersion:
                    version = getattr(obj, f.name)
                    versions[version.pk] = version
                    row[f.name] = {
                        "roadmap": version.roadmap.slug,
                        "content_hash": version.content_hash,
                    }
                else:
                    raise TypeError(
                        f"{kind.model_label}.{f.name}: no way to export a link to {target}"
                    )
            rows.append(row)
        refs[kind.model] = kind_refs
        data[kind.name] = rows
    roadmaps = [
        {
            "slug": v.roadmap.slug,
            "title": v.roadmap.title,
            "content_hash": v.content_hash,
            "document": v.document,
        }
        for v in sorted(versions.values(), key=lambda v: (v.roadmap.slug, v.content_hash))
    ]
    archive: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": (now or timezone.now()).astimezone(dt.UTC).isoformat(),
        "levelup_version": __version__,
        "profile": {name: getattr(user, name) for name in PROFILE_FIELDS},
        "roadmaps": roadmaps,
        "data": data,
    }
    archive["integrity"] = {"algorithm": "sha256", "digest": digest_of(archive)}
    return archive


# --- import --------------------------------------------------------------------------


def _bad(field: str, message: str) -> Invalid:
    return Invalid(
        f"{field}: {message}; nothing was imported", errors=[{"field": field, "message": message}]
    )


def _check_envelope(archive: Any) -> None:
    if not isinstance(archive, dict):
        raise _bad("archive", "must be a JSON object")
    fmt = archive.get("format")
    if fmt != FORMAT:
        raise _bad("format", f"{fmt!r} is not an archive this server reads (expected {FORMAT!r})")
    integrity = archive.get("integrity")
    if not isinstance(integrity, dict) or integrity.get("algorithm") != "sha256":
        raise _bad("integrity", "missing; an archive carries a sha256 digest of its content")
    if integrity.get("digest") != digest_of(archive):
        raise _bad(
            "integrity.digest",
            "does not match the content: the archive was changed or damaged after export",
        )
    for name, kind in (("profile", dict), ("roadmaps", list), ("data", dict)):
        if not isinstance(archive.get(name), kind):
            raise _bad(name, f"must be a JSON {'object' if kind is dict else 'array'}")
    unknown = sorted(set(archive["data"]) - {k.name for k in KINDS})
    if unknown:
        raise _bad(f"data.{unknown[0]}", "is not a kind of data this server knows")


def account_is_empty(user: User) -> bool:
    return not any(owned_rows(kind, user).exists() for kind in KINDS)


def _version_for(
    value: Any, where: str, documents: dict[tuple[str, str], dict[str, Any]]
) -> RoadmapVersion:
    from levelup.roadmaps.services import content_hash, roadmap_load
    from levelup.roadmaps.validation import validate_document

    if not isinstance(value, dict) or not isinstance(value.get("roadmap"), str):
        raise _bad(where, 'must be {"roadmap": slug, "content_hash": …}')
    slug, digest = value["roadmap"], value.get("content_hash")
    found = (
        RoadmapVersion.objects.filter(roadmap__slug=slug, content_hash=digest)
        .select_related("roadmap")
        .first()
    )
    if found is not None:
        return found
    carried = documents.get((slug, str(digest)))
    if carried is None:
        raise _bad(
            where, f"roadmap {slug!r} version {digest} is neither on this server nor in the archive"
        )
    if Roadmap.objects.filter(slug=slug).exists():
        raise _bad(
            where,
            f"this server has a different roadmap {slug!r}; the archive's version cannot be added to it",
        )
    report = validate_document(carried)
    if not report.ok or report.document is None:
        first = report.errors[0] if report.errors else "invalid"
        raise _bad(where, f"the archive's roadmap document is not valid: {first}")
    if content_hash(report.document) != digest:
        raise _bad(where, "the archive's roadmap document does not match its content hash")
    return roadmap_load(data=carried).version


def _validate(f: models.Field[Any, Any], value: Any, obj: models.Model) -> None:
    """The field's own checks (type, choices, length, URL), as a form would run them.

    "blank" is not enforced: a form's notion of a required field is not the data's (an
    entry without tags is fine, though the JSON field is not `blank=True`).
    """
    try:
        f.validate(value, obj)
    except ValidationError as exc:
        if any(error.code != "blank" for error in exc.error_list):
            raise
    if value not in f.empty_values:
        f.run_validators(value)


def _roadmap_for(
    value: Any, where: str, documents: dict[tuple[str, str], dict[str, Any]]
) -> Roadmap:
    found = Roadmap.objects.filter(slug=value).first() if isinstance(value, str) else None
    if found is not None:
        return found
    for slug, digest in documents:
        if slug == value:
            return _version_for({"roadmap": slug, "content_hash": digest}, where, documents).roadmap
    raise _bad(where, f"roadmap {value!r} is neither on this server nor in the archive")


def _build(
    kind: Kind,
    rows: Any,
    *,
    user: User,
    refs: dict[type[models.Model], dict[int, models.Model]],
    documents: dict[tuple[str, str], dict[str, Any]],
) -> list[models.Model]:
    by_model = _kind_models()
    fields = _fields(kind)
    names = {f.name for f in fields}
    if not isinstance(rows, list):
        raise _bad(f"data.{kind.name}", "must be an array")
    objects: list[models.Model] = []
    seen: set[int] = set()
    for index, row in enumerate(rows):
        where = f"data.{kind.name}[{index}]"
        if not isinstance(row, dict):
            raise _bad(where, "must be an object")
        ref = row.get("ref")
        if not isinstance(ref, int) or ref in seen:
            raise _bad(f"{where}.ref", "must be a whole number, unique within its kind")
        seen.add(ref)
        unknown = sorted(set(row) - names - {"ref"})
        if unknown:
            raise _bad(f"{where}.{unknown[0]}", "is not a field of this kind")
        obj = kind.model()
        for f in fields:
            key = f"{where}.{f.name}"
            if f.is_relation:
                target = f.related_model
                value = row.get(f.name)
                if target is User and f"{kind.model_label}.{f.name}" not in USER_REFERENCES:
                    setattr(obj, f.name, user)
                elif value is None:
                    if not f.null:
                        raise _bad(key, "is required")
                    setattr(obj, f.attname, None)
                elif target in by_model:
                    parent = refs[target].get(value) if isinstance(value, int) else None
                    if parent is None:
                        raise _bad(key, f"refers to {value!r}, which is not in the archive")
                    setattr(obj, f.name, parent)
                elif target is User:
                    other = user if value == SELF else User.objects.filter(username=value).first()
                    setattr(obj, f.attname, other.pk if other else None)
                elif target is Roadmap:
                    setattr(obj, f.name, _roadmap_for(value, key, documents))
                elif target is RoadmapVersion:
                    setattr(obj, f.name, _version_for(value, key, documents))
                continue
            if f.name not in row:
                if (
                    f.has_default()
                    or f.null
                    or getattr(f, "auto_now", False)
                    or getattr(f, "auto_now_add", False)
                ):
                    continue
                raise _bad(key, "is required")
            try:
                value = f.to_python(row[f.name])
                _validate(f, value, obj)
            except ValidationError as exc:
                raise _bad(key, " ".join(exc.messages)) from None
            setattr(obj, f.attname, value)
        version = getattr(obj, "version", None)
        if isinstance(version, RoadmapVersion) and version.roadmap_id != getattr(
            obj, "roadmap_id", version.roadmap_id
        ):
            raise _bad(f"{where}.version", "belongs to another roadmap than the row's roadmap")
        for name, make in kind.secret.items():
            setattr(obj, name, make())
        refs.setdefault(kind.model, {})[ref] = obj
        objects.append(obj)
    return objects


def _stamped_fields(kind: Kind) -> list[str]:
    return [
        f.name
        for f in _fields(kind)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def _week_start(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _bad("profile.week_start", "must be a whole number (0 Monday, 5 Saturday, 6 Sunday)")
    return value


def account_import(*, user: User, archive: Any) -> dict[str, int]:
    """Restore an archive into `user`'s account, which must hold no data yet.

    Everything is checked, then written in one transaction: a bad archive raises
    `Invalid` naming the field and writes nothing. Returns the number of rows per kind.
    """
    _check_envelope(archive)
    if not account_is_empty(user):
        raise Conflict(
            "this account already holds data; import into a new, empty account",
            errors=[{"field": "account", "message": "already holds data"}],
        )
    documents: dict[tuple[str, str], dict[str, Any]] = {}
    for index, entry in enumerate(archive["roadmaps"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("document"), dict):
            raise _bad(f"roadmaps[{index}]", "must carry slug, content_hash and document")
        documents[(str(entry.get("slug")), str(entry.get("content_hash")))] = entry["document"]
    profile = archive["profile"]
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            profile_update(
                user=user,
                display_name=str(profile.get("display_name") or ""),
                time_zone=str(profile.get("time_zone") or user.time_zone),
                week_start=_week_start(profile.get("week_start", user.week_start)),
            )
            # The e-mail is the account's own; the archive's fills it only when empty.
            email = profile.get("email")
            if not user.email and isinstance(email, str) and email:
                try:
                    validate_email(email)
                except ValidationError:
                    raise _bad("profile.email", "is not an e-mail address") from None
                user.email = email
                user.save(update_fields=["email"])
            refs: dict[type[models.Model], dict[int, models.Model]] = {}
            for kind in KINDS:
                objects = _build(
                    kind,
                    archive["data"].get(kind.name, []),
                    user=user,
                    refs=refs,
                    documents=documents,
                )
                stamped = _stamped_fields(kind)
                kept = [{name: getattr(o, name) for name in stamped} for o in objects]
                kind.model._default_manager.bulk_create(objects)
                if stamped and objects:
                    # bulk_create stamps auto_now fields with the current time; put the
                    # archive's times back so a re-export matches the original.
                    for obj, values in zip(objects, kept, strict=True):
                        for name, value in values.items():
                            if value is not None:
                                setattr(obj, name, value)
                    kind.model._default_manager.bulk_update(objects, stamped)
                counts[kind.name] = len(objects)
    except IntegrityError as exc:
        raise _bad("data", f"the archive's rows contradict each other: {exc}") from None
    except Invalid as exc:
        if exc.message.endswith("nothing was imported"):
            raise
        errors = [{**e, "field": f"profile.{e['field']}"} for e in exc.errors]
        raise Invalid(f"profile.{exc.message}; nothing was imported", errors=errors) from None
    return counts


# --- deletion ------------------------------------------------------------------------


def owned_row_counts(*, user: User) -> Counter[str]:
    """How many rows of each kind the user owns (for the operator command and tests)."""
    return Counter({kind.name: owned_rows(kind, user).count() for kind in KINDS})


def account_delete(
    *, user: User, password: str | None, check_password: bool = True, client: str = "unknown"
) -> None:
    """Delete the account and every row it owns, in one transaction.

    The learner confirms with their password; the operator command passes
    ``check_password=False``. A wrong password counts as a failed sign-in (from `client`),
    so the confirmation cannot be used to guess passwords faster than the sign-in page
    allows. Tokens, calendar feeds and the portfolio go with the rows, so they stop
    working at once.
    """
    if check_password:
        lockout = login_lockout(username=user.username, client=client)
        if lockout is not None:
            raise ApplicationError(lockout.message, status=429)
        if not (password and user.check_password(password)):
            login_failure_record(username=user.username, client=client)
            raise Forbidden(
                "password: that is not your password; nothing was deleted",
                errors=[{"field": "password", "message": "is not your password"}],
            )
    with transaction.atomic():
        for kind in reversed(KINDS):
            owned_rows(kind, user).delete()
        user.delete()
