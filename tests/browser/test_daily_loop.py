"""The daily loop in Chromium: status changes, ratings, ticks and quick add update the page
in place (scroll and focus kept, the change read out), the ? overlay, and the same forms
with JavaScript off."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from levelup.journal.models import JournalEntry, StudySession
from levelup.progress.models import ItemProgress
from levelup.progress.services import enrollment_create
from tests.browser.conftest import PHONE, new_context, sign_in

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def learner(make_user: Any, shown_roadmap: Any) -> Any:
    roadmap, _ = shown_roadmap
    user = make_user("lena", time_zone="Europe/Berlin")
    start = user.local_today() - dt.timedelta(days=60)
    enrollment = enrollment_create(user=user, roadmap_slug=roadmap.slug, start_date=start)
    return user, enrollment


def _deep_topic(document: Any) -> Any:
    return [t for phase in document.phases for s in phase.sections for t in s.topics][-2]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366", "390"])
def test_a_status_change_deep_in_the_roadmap_keeps_scroll_and_focus(
    browser_page: Any, shown_roadmap: Any, learner: Any, viewport: dict[str, int]
) -> None:
    page = browser_page
    roadmap, document = shown_roadmap
    user, enrollment = learner
    topic = _deep_topic(document)
    page.set_viewport_size(viewport)
    sign_in(page, user)
    page.goto(f"{page.base_url}/roadmaps/{roadmap.slug}/")
    page.evaluate("window.__sameDocument = true")
    controls = page.get_by_role("form", name=f"Status of {topic.title}")
    done = controls.get_by_role("button", name="Done")
    done.scroll_into_view_if_needed()
    done.focus()
    before = page.evaluate("window.scrollY")  # static read: nothing was sent yet
    assert before > 2000, "the topic is deep in the page"

    page.keyboard.press("Enter")

    expect(controls.locator(".badge").first).to_have_text("Done")
    expect(controls.get_by_role("button", name="Done")).to_be_focused()
    expect(controls.get_by_role("button", name="Done")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status").filter(has_text=f"{topic.title}: Done")).to_have_count(1)
    # static read: the script swaps, scrolls, focuses and announces in one task; the
    # announcement above is its last step, so the page has settled.
    assert page.evaluate("window.__sameDocument") is True, "the page did not reload"
    assert abs(page.evaluate("window.scrollY") - before) <= 2  # static read: as above
    progress = ItemProgress.objects.get(enrollment=enrollment, item_key=f"topic:{topic.slug}")
    assert progress.status == "done"

    # The L shortcut on the same controls; focus stays where it was.
    page.keyboard.press("l")
    expect(controls.locator(".badge").first).to_have_text("In progress")
    expect(controls.get_by_role("button", name="In progress")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(controls.get_by_role("button", name="Done")).to_be_focused()
    # static read: the new badge above is in, and the same task restored the scroll.
    assert abs(page.evaluate("window.scrollY") - before) <= 2
    assert page.console_problems == []


def test_a_rating_is_saved_in_place_and_its_panel_stays_open(
    browser_page: Any, shown_roadmap: Any, learner: Any
) -> None:
    page = browser_page
    roadmap, document = shown_roadmap
    user, enrollment = learner
    topic = _deep_topic(document)
    sign_in(page, user)
    page.goto(f"{page.base_url}/roadmaps/{roadmap.slug}/")
    page.evaluate("window.__sameDocument = true")
    summary = page.locator("summary", has_text=f"for {topic.title}")
    summary.click()
    panel = summary.locator("xpath=..")
    panel.get_by_label("Self-rating").select_option("3")
    panel.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="rating and notes saved")).to_have_count(1)
    expect(panel.get_by_label("Self-rating")).to_have_value("3")
    expect(panel.get_by_role("button", name="Save")).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True  # static read: saved and announced
    rating = ItemProgress.objects.get(enrollment=enrollment, item_key=f"topic:{topic.slug}")
    assert rating.rating == 3


def test_quick_add_logs_in_place_and_a_second_line_logs_too(
    browser_page: Any, learner: Any
) -> None:
    page = browser_page
    user, enrollment = learner
    sign_in(page, user)
    page.goto(f"{page.base_url}/journal/sessions/?enrollment={enrollment.pk}")
    page.evaluate("window.__sameDocument = true")
    line = page.get_by_role("textbox", name="Log study time")
    line.fill("45m theory topic:event-loop")
    line.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Logged 45 min of theory")).to_have_count(1)
    expect(page.locator("#sessions-list")).to_contain_text("topic:advanced-nodejs/event-loop")
    expect(line).to_be_focused()
    expect(line).to_have_value("")
    # The swapped-in form carries a fresh one-time token: the next line is logged as well.
    line.fill("30m community")
    line.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Logged 30 min of review")).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True  # static read: logged and announced
    assert StudySession.objects.filter(enrollment=enrollment).count() == 2
    # A refused line falls back to the server's page with the reason beside the field.
    line = page.get_by_role("textbox", name="Log study time")
    line.fill("1h theory 2026-02-30")
    line.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="February 2026 has 28 days")).to_be_visible()
    assert StudySession.objects.filter(enrollment=enrollment).count() == 2
    assert page.console_problems == [] or all("422" in p for p in page.console_problems)


def test_onboarding_ticks_update_in_place(browser_page: Any, learner: Any) -> None:
    page = browser_page
    user, enrollment = learner
    sign_in(page, user)
    page.goto(f"{page.base_url}/enrollments/{enrollment.pk}/onboarding/")
    page.evaluate("window.__sameDocument = true")
    count = page.locator("#onboarding-count")
    expect(count).to_contain_text("0 of")
    tick = page.get_by_role("button", name=re.compile(r"^Tick")).first
    tick.click()
    expect(count).to_contain_text("1 of")
    expect(page.get_by_role("button", name=re.compile(r"^✓ Done")).first).to_be_focused()
    assert page.evaluate("window.__sameDocument") is True  # static read: the tick is in


def test_question_mark_opens_the_shortcut_help_and_escape_closes_it(
    browser_page: Any, shown_roadmap: Any
) -> None:
    page = browser_page
    roadmap, _ = shown_roadmap
    page.goto(f"{page.base_url}/roadmaps/{roadmap.slug}/")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Mark the item under focus or pointer done")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_without_javascript_the_same_forms_work_by_reloading(
    chromium_browser: Any, live_server: Any, shown_roadmap: Any, learner: Any
) -> None:
    roadmap, document = shown_roadmap
    user, enrollment = learner
    topic = _deep_topic(document)
    context = new_context(chromium_browser, java_script_enabled=False, viewport=WIDE)
    try:
        page = context.new_page()
        page.base_url = live_server.url
        sign_in(page, user)
        page.goto(f"{live_server.url}/roadmaps/{roadmap.slug}/")
        page.get_by_role("form", name=f"Status of {topic.title}").get_by_role(
            "button", name="Skip"
        ).click()
        expect(page.get_by_role("status").first).to_contain_text(f"{topic.title}: Skipped")
        progress = ItemProgress.objects.get(enrollment=enrollment, item_key=f"topic:{topic.slug}")
        assert progress.status == "skipped"
    finally:
        context.close()


def test_a_journal_entry_saved_then_sent_again_from_the_back_button_is_kept_once(
    browser_page: Any, learner: Any
) -> None:
    page = browser_page
    user, enrollment = learner
    sign_in(page, user)
    page.goto(f"{page.base_url}/journal/entries/new/?enrollment={enrollment.pk}")
    page.get_by_label("Title").fill("Event loop, finally")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/journal/entries/\d+/$"))
    page.go_back()
    # Whether or not the browser restored what was typed, send the same title again.
    page.get_by_label("Title").fill("Event loop, finally")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/journal/entries/\d+/$"))
    expect(page.get_by_role("status").first).to_contain_text("already sent")
    assert JournalEntry.objects.filter(enrollment=enrollment).count() == 1
