"""Fixtures for account tests."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

PASSWORD = "correct horse battery staple 42"


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
