"""`levelup status` carries the same verdict as the dashboard and the plan (real HTTP)."""

from __future__ import annotations

import json

import pytest

from .conftest import Home, Learner


@pytest.mark.parametrize("known", [0, 6])
def test_status_json_carries_the_plans_verdict(
    logged_in: Home, learner: Learner, known: int
) -> None:
    from levelup.progress.models import ItemProgress

    topics = [k for k, i in learner.document.items.items() if i.kind == "topic"][:known]
    ItemProgress.objects.bulk_create(
        ItemProgress(enrollment=learner.enrollment, item_key=key, rating=4) for key in topics
    )
    run = logged_in.run("status", "--json")
    assert run.code == 0, run.err
    cli = json.loads(run.out)["verdict"]
    plan = learner.api("GET", f"/enrollments/{learner.enrollment.id}/plan").json()["verdict"]
    board = learner.api("GET", f"/enrollments/{learner.enrollment.id}/dashboard").json()
    assert cli == plan == board["verdict"]
    assert set(cli) == {"status", "weeks", "label", "reason"}

    text = logged_in.run("status")
    assert text.code == 0, text.err
    assert cli["label"] in text.out
    assert " ".join(cli["reason"].split()) in " ".join(text.out.split())
