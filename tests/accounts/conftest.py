"""Fixtures for account tests."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def empty_cache(settings: Any, worker_id: str) -> Iterator[None]:
    """Throttle counters live in the real cache; each test starts without any.

    The backend is the one settings configure, but each pytest-xdist worker
    gets its own file directory and key prefix, so clearing it cannot wipe
    the counters of a test running in another worker.
    """
    default = dict(settings.CACHES["default"])
    if default["BACKEND"].endswith("FileBasedCache"):
        default["LOCATION"] = f"{default['LOCATION']}-test-{worker_id}"
    default["KEY_PREFIX"] = f"test-{worker_id}"
    settings.CACHES = {**settings.CACHES, "default": default}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_ip() -> str:
    # A fresh address per test keeps tests running in parallel from sharing
    # per-client counters in the shared file cache.
    return "10.{}.{}.{}".format(*secrets.token_bytes(3))


@pytest.fixture
def browser(client_ip: str) -> Client:
    """An anonymous browser that enforces CSRF like a real one."""
    return Client(REMOTE_ADDR=client_ip)


@pytest.fixture
def with_password(db: Any) -> Callable[[Any], Any]:
    """Give a fixture user a known password."""

    def give(user: Any) -> Any:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        return user

    return give
