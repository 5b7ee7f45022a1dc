"""`SESSION_ENGINE` for servers sharing Redis: Django wants a module with a SessionStore."""

from levelup.accounts.sessions import CachedSessionStore as SessionStore

__all__ = ["SessionStore"]
