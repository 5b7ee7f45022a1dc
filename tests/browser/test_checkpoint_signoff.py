"""Checkpoint sign-off in a real Chromium: invite a mentor, submit the 6-month review,
the mentor claims and approves it, the learner downloads a credential that verifies."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from levelup.mentoring.models import CheckpointReview
from levelup.progress.services import enrollment_create
from tests.accounts.conftest import PASSWORD
from tests.browser.conftest import new_context

pytestmark = pytest.mark.browser


def _log_in(page: Any, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_learner_gets_the_six_month_checkpoint_signed_off(
    browser_page: Any,
    chromium_browser: Any,
    make_user: Any,
    shown_roadmap: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    from levelup.mentoring import signing

    settings.DATA_DIR = tmp_path
    signing._key_for.cache_clear()
    roadmap, document = shown_roadmap
    checkpoint = min(document.checkpoints, key=lambda c: c.month)
    learner_user = make_user("lara", display_name="Lara")
    mentor_user = make_user("milo", display_name="Milo")
    for user in (learner_user, mentor_user):
        user.set_password(PASSWORD)
        user.save()
    enrollment = enrollment_create(
        user=learner_user, roadmap_slug=roadmap.slug, start_date=date(2026, 1, 5)
    )

    learner = browser_page
    learner.goto(learner.base_url + "/mentoring/")
    _log_in(learner, "lara")
    learner.get_by_role("button", name="Create invitation").click()
    invitation = learner.get_by_test_id("invitation-url")
    expect(invitation).to_contain_text("/mentoring/accept/")
    invitation_url = invitation.inner_text().strip()  # static read: the link is in (above)

    mentor_context = new_context(chromium_browser)
    mentor = mentor_context.new_page()
    try:
        mentor.goto(invitation_url)
        _log_in(mentor, "milo")
        mentor.get_by_role("button", name="Accept the invitation").click()
        expect(mentor.get_by_role("heading", name="Lara")).to_be_visible()

        learner.goto(f"{learner.base_url}/enrollments/{enrollment.pk}/checkpoints/")
        learner.get_by_test_id(f"open-review-{checkpoint.slug}").click()
        expect(learner.get_by_role("heading", name=checkpoint.title)).to_be_visible()
        for index, criterion in enumerate(checkpoint.criteria):
            learner.locator(f"#rating-{criterion.slug}").select_option(str(2 + index % 2))
        learner.locator(f"#note-{checkpoint.criteria[0].slug}").fill("Solved 40 problems this term")
        learner.get_by_label("Add evidence: title").fill("Algorithms notebook")
        learner.get_by_label("Link").fill("https://example.com/notebook")
        learner.get_by_role("button", name="Submit for sign-off").click()
        expect(learner.get_by_test_id("review-status")).to_have_text("Submitted")

        mentor.goto(mentor.url.split("/mentees/")[0] + "/inbox/")
        mentor.get_by_role("link", name=re.compile(f"Lara · {checkpoint.slug}")).click()
        mentor.get_by_role("button", name="Claim the review").click()
        expect(mentor.get_by_test_id("review-status")).to_have_text("Claimed")
        for criterion in checkpoint.criteria:
            mentor.locator(f"#mrating-{criterion.slug}").select_option("3")
        mentor.locator(f"#mrating-{checkpoint.criteria[-1].slug}").select_option("na")
        mentor.get_by_role("button", name="Approve").click()
        expect(mentor.get_by_test_id("review-status")).to_have_text("Approved")
    finally:
        mentor_context.close()

    review = CheckpointReview.objects.get()
    learner.goto(f"{learner.base_url}/reviews/{review.pk}/")
    expect(learner.get_by_test_id("review-status")).to_have_text("Approved")
    with learner.expect_download() as info:
        learner.get_by_test_id("download-credential").click()
    credential = json.loads(Path(info.value.path()).read_text())
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["achievement"]["name"] == checkpoint.title
    assert "Algorithms notebook" in {e["name"] for e in credential["evidence"]}
    verdict = Client().post(
        "/api/v1/credentials/verify", json.dumps(credential), content_type="application/json"
    )
    assert verdict.json()["valid"] is True

    learner.get_by_role("link", name="Public verification page").click()
    expect(learner.get_by_test_id("verification")).to_contain_text("Genuine")
    assert learner.console_problems == []
