"""Shared fixtures: alice owns the data under test, bob is another learner,
staff is an administrator. Another user's data must answer 404."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from levelup.accounts.models import User
from levelup.accounts.tokens import api_token_create


@pytest.fixture(autouse=True)
def isolated_cache(settings: Any, worker_id: str) -> Iterator[None]:
    """Each test starts with an empty cache of its own.

    The backend is the one settings configure (throttle counters and cached plans live
    there), but each pytest-xdist worker gets its own file directory and key prefix, so
    clearing it cannot wipe what a test in another worker is counting on.
    """
    default = dict(settings.CACHES["default"])
    if default["BACKEND"].endswith("FileBasedCache"):
        default["LOCATION"] = f"{default['LOCATION']}-test-{worker_id}"
    default["KEY_PREFIX"] = f"test-{worker_id}"
    settings.CACHES = {**settings.CACHES, "default": default}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def computation_pins_skip_the_read_cache(request: pytest.FixtureRequest, settings: Any) -> None:
    """Exact query pins (`django_assert_num_queries`) pin what a view computes, so they run
    with the read cache off: a repeat would otherwise be answered from the cache with
    fewer queries. The cached path is pinned separately, for every read endpoint, in
    tests/readcache (with `django_assert_max_num_queries`)."""
    if "django_assert_num_queries" in request.fixturenames:
        settings.READ_CACHE_ENABLED = False


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(username: str, **fields: Any) -> User:
        user = User.objects.create_user(
            username=username, email=f"{username}@example.com", **fields
        )
        return user

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    return make_user("alice", display_name="Alice", time_zone="Europe/Berlin")


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    return make_user("bob", time_zone="America/New_York")


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    return make_user("staff", is_staff=True, is_superuser=True)


class ApiClient(Client):
    """A test client that speaks JSON and authenticates with a bearer token."""

    def __init__(self, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.token = token

    def _headers(self, extra: dict[str, Any]) -> dict[str, Any]:
        headers = dict(extra.pop("headers", None) or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        extra["headers"] = headers
        return extra

    def get(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().get(path, data, **self._headers(extra))

    def delete(self, path: str, data: Any = "", **extra: Any) -> Any:  # type: ignore[override]
        return super().delete(path, data, **self._headers(extra))

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().post(
            path, json.dumps(data or {}), content_type="application/json", **self._headers(extra)
        )

    def put(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().put(
            path, json.dumps(data or {}), content_type="application/json", **self._headers(extra)
        )

    def patch(self, path: str, data: Any = None, **extra: Any) -> Any:  # type: ignore[override]
        return super().patch(
            path, json.dumps(data or {}), content_type="application/json", **self._headers(extra)
        )


@pytest.fixture
def api_for(db: Any) -> Callable[[User | None], ApiClient]:
    """An API client for a user (a write token), or anonymous for None."""

    def make(user: User | None, *, write: bool = True) -> ApiClient:
        if user is None:
            return ApiClient()
        issued = api_token_create(user=user, name="tests", can_write=write)
        return ApiClient(issued.secret)

    return make


@pytest.fixture
def web_for(db: Any) -> Callable[[User | None], Client]:
    """A browser-like client signed in as the user (CSRF not enforced), or anonymous."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def builtin(db: Any) -> Any:
    """The built-in roadmap, loaded; returns (roadmap, document)."""
    from levelup.roadmaps.selectors import current_document
    from levelup.roadmaps.services import BUILTIN_SLUG, builtin_roadmaps_load

    builtin_roadmaps_load()
    return current_document(BUILTIN_SLUG)
