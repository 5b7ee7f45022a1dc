"""The learner journey in a real browser: sign up, enroll, rate phase 1, tick subtopics until
a topic completes, and watch the dashboard change. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def _stat(page: Any, test_id: str) -> str:
    return str(page.get_by_test_id(test_id).inner_text()).strip()


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
    assert groups.count() == sum(len(s.topics) for s in first_phase.sections)
    for index in range(groups.count()):
        groups.nth(index).locator("input[type=radio]").first.focus()
        page.keyboard.press("ArrowRight")  # 0 -> 1, "heard of it"
    page.get_by_role("radio", name=re.compile("can use it with help")).first.check()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url(re.compile(r"phase=2|/dashboard/"))

    # The dashboard before any work.
    page.goto(page.base_url + "/dashboard/")
    assert "Month 1 of" in page.locator("h1").inner_text()
    percent_before = _stat(page, "overall-percent")
    done_before = _stat(page, "count-done")
    assert percent_before == "0%"

    # Tick the topic's subtopics one by one; the last tick completes the topic.
    page.get_by_role("link", name=topic.title, exact=True).first.click()
    page.wait_for_url(re.compile(r"/items/topic:"))
    for number in range(len(topic.subtopics)):
        assert "Done" not in page.locator("header .badge").first.inner_text(), number
        page.get_by_role("button", name=re.compile(r"^Tick")).first.click()
        page.wait_for_load_state()
    assert page.locator("header .badge").first.inner_text() == "Done"

    # The dashboard shows it.
    page.goto(page.base_url + "/dashboard/")
    assert _stat(page, "count-done") == str(int(done_before) + 1)
    assert _stat(page, "overall-percent") != percent_before
    # Ticks are changes, not study: the study heatmap stays empty until time is logged.
    assert page.locator("svg.heatmap rect.hm-cell:not(.hm-0)").count() == 0
    assert "progress changes" in page.get_by_test_id("heatmap-caption").inner_text()
    assert page.get_by_text(topic.title).first.is_visible()
    assert page.console_problems == []
    page.screenshot(path=str(screenshot_dir / "dashboard-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(screenshot_dir / "dashboard-390.png"), full_page=True)
