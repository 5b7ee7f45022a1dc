"""Fixtures for export, import and deletion: the `levelup demo` learner, table counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.apps import apps

from levelup.accounts.models import User
from levelup.progress.demo import DEMO_USERNAME, demo_create

TODAY = date(2026, 12, 2)


@pytest.fixture
def demo(db: Any) -> User:
    """The lived-in demo learner, seven months into the built-in roadmap."""
    demo_create(today=TODAY)
    return User.objects.get(username=DEMO_USERNAME)


def table_counts() -> dict[str, int]:
    """Rows in every table Django knows, including many-to-many tables."""
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        counts[model._meta.label] = model._default_manager.count()
    return counts
