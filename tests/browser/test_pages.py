"""The public pages in a real browser: desktop and phone, no console errors,
no CSP violations, the timeline visible, the skip link first in tab order."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, new_context

pytestmark = pytest.mark.browser

VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def _no_horizontal_page_scroll(page: Any) -> bool:
    # Wide content (the timeline, tables) scrolls inside its own box, never the page.
    # static read: called on a loaded, server-rendered page whose layout is checked visible.
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_home_page_renders_cleanly(
    browser_page: Any, shown_roadmap: Any, screenshot_dir: Path, viewport: dict[str, int]
) -> None:
    page = browser_page
    page.set_viewport_size(viewport)
    response = page.goto(page.base_url + "/")
    assert response.status == 200
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Create a free account")).to_be_visible()
    expect(page.get_by_role("link", name=shown_roadmap[1].title)).to_be_visible()
    assert _no_horizontal_page_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"home-{viewport['width']}.png"), full_page=True)
    assert page.console_problems == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_roadmap_page_renders_its_timeline(
    browser_page: Any, shown_roadmap: Any, screenshot_dir: Path, viewport: dict[str, int]
) -> None:
    page = browser_page
    roadmap, document = shown_roadmap
    page.set_viewport_size(viewport)
    response = page.goto(f"{page.base_url}/roadmaps/{roadmap.slug}/")
    assert response.status == 200
    timeline = page.locator("svg.timeline")
    expect(timeline).to_be_visible()
    box = timeline.bounding_box()  # static read: server-drawn SVG, visible above
    assert box is not None and box["height"] > 40
    # One bar per phase, coloured by the stylesheet (not the black SVG default).
    bars = page.locator("svg.timeline .tl-bar")
    expect(bars).to_have_count(len(document.phases))
    expect(bars.first).not_to_have_css("fill", re.compile(r"^(none|rgb\(0, 0, 0\))?$"))
    for phase in document.phases:
        expect(page.locator(f"#phase-{phase.slug}-title")).to_be_visible()
    assert _no_horizontal_page_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"roadmap-{viewport['width']}.png"), full_page=True)
    assert page.console_problems == []


def test_the_first_tab_stop_is_the_skip_link(browser_page: Any, shown_roadmap: Any) -> None:
    page = browser_page
    page.goto(f"{page.base_url}/roadmaps/{shown_roadmap[0].slug}/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_topic_and_project_pages_render_without_problems(
    browser_page: Any, shown_roadmap: Any, screenshot_dir: Path
) -> None:
    page = browser_page
    roadmap, document = shown_roadmap
    topic = next(iter(document.topics.values()))
    page.goto(f"{page.base_url}/roadmaps/{roadmap.slug}/topics/{topic.slug}/")
    expect(page.get_by_role("heading", level=1, name=topic.title)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "topic-1280.png"), full_page=True)
    if document.projects:
        project = document.projects[0]
        page.goto(f"{page.base_url}/roadmaps/{roadmap.slug}/projects/{project.slug}/")
        expect(page.get_by_role("heading", level=1, name=project.title)).to_be_visible()
    assert page.console_problems == []


def test_the_pages_read_the_same_without_javascript(
    chromium_browser: Any, live_server: Any, shown_roadmap: Any
) -> None:
    context = new_context(chromium_browser, viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/roadmaps/{shown_roadmap[0].slug}/")
        expect(page.locator("svg.timeline")).to_be_visible()
        expect(page.locator("table.timeline-table tbody tr")).to_have_count(
            len(shown_roadmap[1].phases)
        )
    finally:
        context.close()
