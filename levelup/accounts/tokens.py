"""Personal access tokens: creation, lookup, revocation."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from levelup.accounts.models import ApiToken, User
from levelup.lib import rows
from levelup.lib.errors import Invalid, NotFound

TOKEN_PREFIX = "lvl_"
# Writing last_used_at on every request would turn reads into writes; a
# minute's precision is plenty for "last used".
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def hash_token(raw: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is safe here; a slow
    # password hash would only slow every API request down.
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str, can_write: bool = False, expires_at: datetime | None = None
) -> IssuedToken:
    """Issue a token for `user`. The returned secret is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise Invalid.for_field("name", "give the token a name")
    if len(name) > 100:
        raise Invalid.for_field("name", "use at most 100 characters")
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid.for_field("expires_at", "must be in the future")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        token_hash=hash_token(secret),
        can_write=can_write,
        expires_at=expires_at,
    )
    return IssuedToken(token=token, secret=secret)


TOKEN_COLUMNS = rows.Columns(ApiToken, "t")
USER_COLUMNS = rows.Columns(User, "u")


@functools.cache
def _lookup_sql(using: str = "default") -> str:
    """Every API request runs this; written out once instead of built by the ORM each time.
    Identifiers only, from the models; the hash is a parameter."""
    token, user = rows.table(ApiToken, using), rows.table(User, using)
    owner, user_pk = rows.column(ApiToken, "user", using), rows.column(User, "id", using)
    token_hash = rows.column(ApiToken, "token_hash", using)
    revoked_at = rows.column(ApiToken, "revoked_at", using)
    is_active = rows.column(User, "is_active", using)
    return (
        f"SELECT {TOKEN_COLUMNS.sql(using)}, {USER_COLUMNS.sql(using)}"  # noqa: S608
        f" FROM {token} t JOIN {user} u ON u.{user_pk} = t.{owner}"
        f" WHERE t.{token_hash} = %s AND t.{revoked_at} IS NULL AND u.{is_active}"
    )


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token matching `raw`, with its user, or None (one query)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    found = rows.fetch(_lookup_sql(), [hash_token(raw)])
    if not found:
        return None
    token, user = rows.instances(found[0], TOKEN_COLUMNS, USER_COLUMNS)
    token.user = user
    if not token.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; it stops working at once."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            raise NotFound(f"no token {token_id}")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
