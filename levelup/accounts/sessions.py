"""A signed-in browser's two lookups, each one hand-written query.

Every page a signed-in learner opens reads the session row and then the user. Built
by the ORM, the two took longer to compose than the database took to answer (cProfile,
PostgreSQL: about 0.6 of 1.0 ms for a cached dashboard page). Both keep Django's
behaviour: an expired or unknown session is an empty one; an inactive user is nobody.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.models import Session
from django.utils import timezone

from levelup.accounts.models import User
from levelup.lib import rows

SESSION_COLUMNS = rows.Columns(Session, "s")
USER_COLUMNS = rows.Columns(User, "u")


@functools.cache
def _session_sql(using: str = "default") -> str:
    table, key = rows.table(Session, using), rows.column(Session, "session_key", using)
    return f"SELECT {SESSION_COLUMNS.sql(using)} FROM {table} s WHERE s.{key} = %s"  # noqa: S608


@functools.cache
def _user_sql(using: str = "default") -> str:
    table, pk = rows.table(User, using), rows.column(User, "id", using)
    return f"SELECT {USER_COLUMNS.sql(using)} FROM {table} u WHERE u.{pk} = %s"  # noqa: S608


# Sessions signed in before this backend existed name Django's; it checks passwords the
# same way, so they carry on instead of every browser being signed out by an upgrade.
FORMER_BACKEND = "django.contrib.auth.backends.ModelBackend"
BACKEND = "levelup.accounts.sessions.UserBackend"


class _Lookup(db.SessionStore):
    """The row lookup written out, and former backend names carried on."""

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        if data.get(BACKEND_SESSION_KEY) == FORMER_BACKEND:
            data[BACKEND_SESSION_KEY] = BACKEND
        return data

    def _get_session_from_db(self) -> Any:
        found = rows.fetch(_session_sql(), [self.session_key]) if self.session_key else []
        session = SESSION_COLUMNS.build(found[0]) if found else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session


class SessionStore(_Lookup):
    """Django's database sessions (`SESSION_ENGINE = "levelup.accounts.sessions"`)."""


class CachedSessionStore(_Lookup, cached_db.SessionStore):
    """Django's cached database sessions, for servers sharing Redis
    (`SESSION_ENGINE = "levelup.accounts.cached_sessions"`)."""


class UserBackend(ModelBackend):
    """Django's model backend (passwords, permissions), with the per-request user lookup
    hand-written."""

    def get_user(self, user_id: Any) -> User | None:
        found = rows.fetch(_user_sql(), [user_id])
        user: User | None = USER_COLUMNS.build(found[0]) if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
