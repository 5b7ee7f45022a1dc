"""The plan and the journal in a real browser, on the demo learner's seven months of history:
log time from the dashboard, see it in the week review, read the plan, fix a bad setting.
Screenshots go to tests/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from levelup.progress.demo import DEMO_USERNAME, demo_create
from levelup.progress.models import Enrollment
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def _sign_in(page: Any, username: str, password: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def test_a_learner_logs_time_reads_the_week_and_the_plan(
    browser_page: Any, screenshot_dir: Path
) -> None:
    page = browser_page
    password = demo_create()
    enrollment = Enrollment.objects.get(user__username=DEMO_USERNAME)
    _sign_in(page, DEMO_USERNAME, password)

    # A bad line is refused with the reason, and the typed line is still there to fix.
    page.get_by_label("Log study time").fill("2000m theory")
    page.get_by_role("button", name="Log", exact=True).click()
    # The in-place request is refused, so the script sends the form the ordinary way and
    # the server's page answers: wait for that page, then look at its field.
    expect(page.get_by_role("alert").filter(has_text="Not logged:")).to_be_visible()
    expect(page.get_by_label("Log study time")).to_have_value("2000m theory")

    # One line from the dashboard logs a session in place and says so.
    page.goto(page.base_url + "/dashboard/")
    page.get_by_label("Log study time").fill("45m review went over the week's notes")
    page.get_by_role("button", name="Log", exact=True).click()
    expect(page.locator("#live-status")).to_contain_text("Logged 45 min of review")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The week review counts it and draws the 12-week chart.
    page.get_by_role("link", name="Journal").first.click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Week of "))
    totals = page.locator("section", has=page.locator("#totals-title"))
    expect(totals).to_contain_text("Review")
    expect(page.locator("figure.chart svg")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "journal-week-1280.png"), full_page=True)

    # The plan: the verdict, this week's items, the timeline and the checkpoints.
    page.goto(page.base_url + f"/plan/{enrollment.pk}/")
    expect(page.locator("h1")).to_have_text(re.compile(r"^Your plan:"))
    expect(page.get_by_test_id("verdict-label")).to_have_text(re.compile(r"On track|behind|ahead"))
    expect(page.locator("#week-heading")).to_be_visible()
    expect(page.locator("figure.chart svg")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("12-Month Checkpoint")
    page.screenshot(path=str(screenshot_dir / "plan-1280.png"), full_page=True)

    # A weekly-hours value out of range is refused beside the field; nothing changes.
    hours_before = str(enrollment.weekly_hours)
    hours = page.get_by_label("Weekly hours", exact=True)
    hours.fill("500")
    page.get_by_role("button", name="Save and re-plan").click()
    expect(page.locator("[data-field=weekly_hours]")).to_be_visible()
    enrollment.refresh_from_db()
    assert str(enrollment.weekly_hours) == hours_before

    page.set_viewport_size(PHONE)
    page.goto(page.base_url + f"/plan/{enrollment.pk}/")
    page.screenshot(path=str(screenshot_dir / "plan-390.png"), full_page=True)
    # The failed quick add and the refused setting answered 422; nothing else went wrong.
    assert [p for p in page.console_problems if "422" not in p] == []
