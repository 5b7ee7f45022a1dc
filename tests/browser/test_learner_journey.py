"""The learner journey in a real browser: sign up, enroll, rate phase 1, tick subtopics until
a topic completes, and watch the dashboard change. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def test_a_new_learner_enrolls_rates_ticks_and_sees_the_dashboard_change(
    browser_page: Any, shown_roadmap: Any, screenshot_dir: Path
) -> None:
    page = browser_page
    roadmap, document = shown_roadmap
    first_phase = document.phases[0]
    topic = next(t for section in first_phase.sections for t in section.topics if t.subtopics)

    # Sign up; a new account lands on the empty dashboard, which leads to enrolling.
    page.goto(page.base_url + "/accounts/signup/")
    page.locator("input[name=username]").fill("newlearner")
    page.locator("input[name=email]").fill("new@example.com")
    page.locator("input[name=password1]").fill("correct horse battery staple")
    page.locator("input[name=password2]").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.get_by_role("link", name=f"Enroll in {roadmap.title}").click()

    # Enroll with the defaults (today, the roadmap's middle weekly hours, Monday-Saturday).
    page.get_by_role("button", name="Enroll").click()
    page.wait_for_url(re.compile(r"/onboarding/$"))
    page.get_by_role("link", name=re.compile("rate what you already know")).click()

    # Phase 1 of the self-assessment, by keyboard: focus a group, arrows pick a rating.
    page.wait_for_url(re.compile(r"/assessment/"))
    groups = page.locator("fieldset.rating-group")
    topics_in_phase = sum(len(s.topics) for s in first_phase.sections)
    expect(groups).to_have_count(topics_in_phase)
    for index in range(topics_in_phase):
        groups.nth(index).locator("input[type=radio]").first.focus()
        page.keyboard.press("ArrowRight")  # 0 -> 1, "heard of it"
        expect(groups.nth(index).locator("input[type=radio]").nth(1)).to_be_checked()
    page.get_by_role("radio", name=re.compile("can use it with help")).first.check()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url(re.compile(r"phase=2|/dashboard/"))

    # The dashboard before any work.
    page.goto(page.base_url + "/dashboard/")
    expect(page.locator("h1")).to_contain_text("Month 1 of")
    expect(page.get_by_test_id("overall-percent")).to_have_text("0%")
    # static read: the dashboard is server-rendered and `goto` has finished loading it.
    done_before = int(page.get_by_test_id("count-done").inner_text().strip())

    # Tick the topic's subtopics one by one; the last tick completes the topic.
    page.get_by_role("link", name=topic.title, exact=True).first.click()
    page.wait_for_url(re.compile(r"/items/topic:"))
    badge = page.locator("header .badge").first
    unticks = page.get_by_role("button", name=re.compile(r"^Untick"))
    for number in range(len(topic.subtopics)):
        expect(badge).not_to_have_text("Done")
        page.get_by_role("button", name=re.compile(r"^Tick")).first.click()
        # Each tick posts and reloads the page: wait for the reloaded page to show it.
        expect(unticks).to_have_count(number + 1)
    expect(badge).to_have_text("Done")

    # The dashboard shows it.
    page.goto(page.base_url + "/dashboard/")
    expect(page.get_by_test_id("count-done")).to_have_text(str(done_before + 1))
    expect(page.get_by_test_id("overall-percent")).not_to_have_text("0%")
    # Ticks are changes, not study: the study heatmap stays empty until time is logged.
    expect(page.locator("svg.heatmap rect.hm-cell:not(.hm-0)")).to_have_count(0)
    expect(page.get_by_test_id("heatmap-caption")).to_contain_text("progress changes")
    expect(page.get_by_text(topic.title).first).to_be_visible()
    assert page.console_problems == []
    page.screenshot(path=str(screenshot_dir / "dashboard-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(screenshot_dir / "dashboard-390.png"), full_page=True)
