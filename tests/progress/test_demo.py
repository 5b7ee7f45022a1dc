"""`levelup demo`: a lived-in learner, recreated idempotently."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from levelup.accounts.models import User
from levelup.dashboard.selectors import dashboard_for
from levelup.progress import demo
from levelup.progress.models import Enrollment, Evidence, ProgressEvent


@pytest.fixture
def no_extensions(monkeypatch: pytest.MonkeyPatch) -> None:
    # Other apps' demo data is theirs to test; this file checks the progress history.
    monkeypatch.setattr(demo, "EXTENSIONS", ())


def test_the_demo_learner_is_seven_months_in_with_a_realistic_history(
    builtin: Any, no_extensions: None
) -> None:
    password = demo.demo_create(today=date(2026, 9, 1))
    user = User.objects.get(username="demo")
    assert user.check_password(password)
    enrollment = Enrollment.objects.get(user=user)
    data = dashboard_for(enrollment, today=date(2026, 9, 1))
    assert data["journey_month"] == 7
    assert 10 < data["overall"]["percent"] < 60
    assert data["counts"]["done"] >= 3 and data["counts"]["known"] >= 1
    assert data["counts"]["in_progress"] >= 1
    events = ProgressEvent.objects.filter(enrollment=enrollment)
    months = {e.created_at.strftime("%Y-%m") for e in events}
    assert len(months) >= 6  # spread over the months, not all today
    assert Evidence.objects.filter(enrollment=enrollment).exists()
    assert enrollment.pauses.count() == 1


def test_running_the_demo_again_replaces_the_demo_learner(
    builtin: Any, no_extensions: None
) -> None:
    first = demo.demo_create(today=date(2026, 9, 1))
    second = demo.demo_create(today=date(2026, 9, 1))
    assert first != second
    assert User.objects.filter(username="demo").count() == 1
    assert Enrollment.objects.count() == 1


def test_extensions_are_called_with_the_enrollment_and_missing_ones_skipped(
    builtin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    seen: list[Enrollment] = []
    module = types.ModuleType("levelup_demo_probe")
    module.extend = seen.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "levelup_demo_probe", module)
    monkeypatch.setattr(demo, "EXTENSIONS", ("levelup.nowhere.demo", "levelup_demo_probe"))
    demo.demo_create(today=date(2026, 9, 1))
    assert [e.user.username for e in seen] == ["demo"]
