"""The portfolio, reading list and certifications in a real browser.

Turn the portfolio on with two sections and read it signed out on a phone; mark a book
finished; book an exam and find it in the calendar feed. Screenshots go to tests/screenshots/.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
from playwright.sync_api import expect

from levelup.accounts.models import User
from levelup.journal.services import journal_entry_create
from levelup.planning.services import calendar_feed_create
from levelup.progress.services import enrollment_create, item_update
from levelup.roadmaps.services import BUILTIN_SLUG
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-8841"


@pytest.fixture
def learner(shown_roadmap: Any) -> User:
    user = User.objects.create_user(
        username="ada", password=PASSWORD, display_name="Ada L.", email="ada-private@example.com"
    )
    enrollment = enrollment_create(
        user=user, roadmap_slug=BUILTIN_SLUG, start_date=date(2026, 6, 1)
    )
    item_update(enrollment=enrollment, actor=user, item_key="topic:advanced-nodejs", status="done")
    journal_entry_create(
        enrollment=enrollment,
        title="Streams finally clicked",
        body="Back-pressure **matters**.",
        date=date(2026, 7, 1),
        public=True,
    )
    journal_entry_create(
        enrollment=enrollment, title="Private worries", body="not for anyone", date=date(2026, 7, 2)
    )
    return user


def _sign_in(page: Any) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def test_turn_the_portfolio_on_with_two_sections_and_read_it_signed_out_on_a_phone(
    browser_page: Any, learner: User, screenshot_dir: Path
) -> None:
    page = browser_page
    _sign_in(page)
    page.goto(page.base_url + "/accounts/portfolio/")
    expect(page.get_by_test_id("portfolio-state")).to_have_text("private")
    page.get_by_label("Make my portfolio public").check()
    page.get_by_label("Roadmap progress (phases and topics done)").check()
    page.get_by_label("Journal entries you marked public").check()
    page.get_by_role("button", name="Save portfolio").click()
    expect(page.get_by_test_id("portfolio-state")).to_have_text("public")

    page.get_by_role("button", name="Log out").click()
    # Not wait_for_url(r"/$"): the portfolio page's own address already ends in "/".
    expect(page).to_have_url(page.base_url + "/")
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/u/ada/")
    expect(page.get_by_test_id("portfolio-name")).to_have_text("Ada L.")
    expect(page.get_by_test_id("section-progress")).to_be_visible()
    expect(page.get_by_test_id("section-progress")).to_contain_text("Advanced Node.js")
    expect(page.get_by_test_id("section-journal")).to_contain_text("Streams finally clicked")
    expect(page.get_by_test_id("section-projects")).to_have_count(0)
    expect(page.get_by_test_id("section-hours")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Private worries")
    expect(page.locator("body")).not_to_contain_text("ada-private")
    # Nothing sticks out sideways on a 390 px screen.
    # static read: a server-rendered page, loaded, its sections checked just above.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card = page.locator("img.portfolio-card")
    expect(card).to_be_visible()
    expect(card).to_have_js_property("complete", True)  # loaded, or failed to
    assert card.evaluate("img => img.naturalWidth") > 0  # static read: complete; the card loaded
    page.screenshot(path=str(screenshot_dir / "portfolio-390.png"), full_page=True)
    assert page.console_problems == []


def test_mark_a_book_finished(browser_page: Any, learner: User, screenshot_dir: Path) -> None:
    page = browser_page
    _sign_in(page)
    page.get_by_role("link", name="Reading").first.click()
    page.get_by_role("button", name="Add Clean Code to my list").click()
    item = page.get_by_test_id("reading-item").filter(has_text="Clean Code")
    expect(item.get_by_test_id("reading-status")).to_have_text("Want to")
    item.get_by_label("Status").select_option(label="Finished")
    item.get_by_label("Rating").select_option(label="4 of 5")
    item.get_by_role("button", name="Save").click()
    item = page.get_by_test_id("reading-item").filter(has_text="Clean Code")
    expect(item.get_by_test_id("reading-status")).to_have_text("Finished")
    expect(item).to_contain_text("rated 4 of 5")
    page.screenshot(path=str(screenshot_dir / "reading-1280.png"), full_page=True)
    assert page.console_problems == []


def test_book_an_exam_and_find_it_in_the_calendar_feed(browser_page: Any, learner: User) -> None:
    page = browser_page
    _, secret = calendar_feed_create(enrollment=learner.enrollments.get())
    _sign_in(page)
    page.goto(page.base_url + "/certifications/")
    page.get_by_role("button", name="Track Kubernetes Application Developer (CKAD)").click()
    cert = page.get_by_test_id("certification").filter(has_text="CKAD")
    cert.get_by_label("Status").select_option(label="Exam booked")
    cert.get_by_label("Exam date").fill("2027-03-15")
    cert.get_by_role("button", name="Save").click()
    cert = page.get_by_test_id("certification").filter(has_text="CKAD")
    expect(cert.get_by_test_id("certification-status")).to_have_text("Exam booked")
    expect(cert).to_contain_text("15 Mar 2027")

    feed = page.request.get(page.base_url + f"/calendar/{secret}.ics")
    assert feed.status == 200
    calendar = icalendar.Calendar.from_ical(feed.body())
    exams = [e for e in calendar.walk("VEVENT") if str(e["summary"]).startswith("Exam:")]
    assert [str(e["summary"]) for e in exams] == ["Exam: Kubernetes Application Developer (CKAD)"]
    assert exams[0].decoded("dtstart") == date(2027, 3, 15)
    assert page.console_problems == []
