"""The roadmap studio in a real browser: fork the built-in roadmap, rename a topic in the
structured editor, publish, read the diff, and move an enrollment to the new version."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def test_fork_rename_publish_diff_and_move_the_enrollment(
    browser_page: Any, shown_roadmap: Any, screenshot_dir: Path, django_user_model: Any
) -> None:
    page = browser_page
    roadmap, document = shown_roadmap
    topic = document.phases[0].sections[0].topics[0]
    django_user_model.objects.create_user(
        username="alice", email="a@example.com", password=PASSWORD
    )

    page.goto(page.base_url + "/accounts/login/")
    page.locator("input[name=username]").fill("alice")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))

    # Fork the built-in roadmap from its page; the fork opens in the structured editor.
    page.goto(page.base_url + f"/roadmaps/{roadmap.slug}/")
    page.get_by_role("button", name="Fork this roadmap").click()
    page.wait_for_url(re.compile(r"/roadmaps/alice-[a-z0-9-]+/edit/$"))
    fork_slug = page.url.rstrip("/").split("/")[-2]
    expect(page.get_by_role("heading", name="Edit the roadmap")).to_be_visible()

    # Enroll in the fork (version 1) and mark the topic done.
    page.goto(page.base_url + f"/enroll/{fork_slug}/")
    page.get_by_role("button", name="Enroll").click()
    page.wait_for_url(re.compile(r"/onboarding/$"))
    page.goto(page.base_url + f"/roadmaps/{fork_slug}/topics/{topic.slug}/")
    controls = page.get_by_role("form", name=f"Status of {topic.title}")
    controls.get_by_role("button", name="Done").click()
    expect(
        page.get_by_role("form", name=f"Status of {topic.title}").locator(".badge").first
    ).to_have_text("Done")

    # Rename the topic (title and slug) in the structured editor and publish.
    page.goto(page.base_url + f"/roadmaps/{fork_slug}/edit/")
    page.locator(f"#f-t-{topic.slug}-title").fill("Algorithms and data structures")
    page.locator(f"#f-t-{topic.slug}-slug").fill("algorithms")
    page.screenshot(path=str(screenshot_dir / "studio-editor.png"))
    page.get_by_role("button", name="Publish a new version").click()

    # The diff of version 1 → 2 names the rename and the new title.
    page.wait_for_url(re.compile(r"/versions/\?from=1&to=2$"))
    diff = page.locator("#diff")
    expect(diff).to_contain_text(f"topic:{topic.slug}")
    expect(diff).to_contain_text("topic:algorithms")
    expect(diff).to_contain_text("Algorithms and data structures")
    page.screenshot(path=str(screenshot_dir / "studio-diff.png"), full_page=True)

    # The roadmap page still shows the learner's version 1, and offers the move.
    page.goto(page.base_url + f"/roadmaps/{fork_slug}/")
    expect(page.locator("#version-available")).to_contain_text("Version 2 is available")
    page.get_by_role("link", name="See what changes for you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Version 2 is available: what changes for you"
    )
    expect(page.locator("#for-you")).to_contain_text("topic:algorithms")
    page.get_by_role("button", name="Move to version 2").click()
    expect(page.locator(".messages")).to_contain_text("Moved to version 2")
    expect(page.locator("#version-available")).to_have_count(0)

    # The renamed topic kept its Done status.
    page.goto(page.base_url + f"/roadmaps/{fork_slug}/topics/algorithms/")
    controls = page.get_by_role("form", name="Status of Algorithms and data structures")
    expect(controls.locator(".badge").first).to_have_text("Done")
    assert page.console_problems == []
