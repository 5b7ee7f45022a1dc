"""Account pages in a real Chromium: log in, create a token, copy it, revoke it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from levelup.accounts.models import ApiToken
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_learner_creates_and_revokes_a_token(
    browser_page: Any,
    make_user: Any,
) -> None:
    page = browser_page
    user = make_user("tess")
    user.set_password(PASSWORD)
    user.save()

    page.goto(page.base_url + "/accounts/tokens/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Username").fill("tess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/tokens/$"))
    expect(page.locator("main")).to_contain_text("You have no tokens yet")

    page.get_by_label("Token name").fill("laptop")
    page.get_by_label("Read and write").check()
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Create token").click()

    field = page.get_by_label(re.compile("Your new token"))
    expect(field).to_have_value(re.compile(r"^lvl_"))
    secret = field.input_value()  # static read: the value is in, and the page never edits it
    # The Copy button puts the token on the clipboard and says so.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    # The page's script writes the clipboard, then says so: wait for it (issue 16).
    expect(page.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    # static read: "Copied." is shown only once writeText() has finished.
    assert page.evaluate("navigator.clipboard.readText()") == secret
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200

    # Refreshing the "token created" page neither shows the secret again nor makes a
    # second token (post/redirect/get).
    page.reload()
    expect(page.get_by_role("heading", name="The token was shown once")).to_be_visible()
    expect(page.get_by_label(re.compile("Your new token"))).to_have_count(0)
    assert secret not in page.content()  # static read: server-rendered, its heading is in
    assert ApiToken.objects.count() == 1
    page.goto(page.base_url + "/accounts/tokens/created/")
    page.get_by_role("link", name="Back to your tokens").click()
    expect(page).to_have_url(re.compile(r"/accounts/tokens/$"))
    expect(page.get_by_role("button", name="Revoke laptop")).to_be_visible()
    assert secret not in page.content()  # static read: server-rendered, its list is in
    page.get_by_role("button", name="Revoke laptop").click()
    # The revoke posts and lands back on this same address: wait for its message.
    expect(page.get_by_role("status").filter(has_text="no longer works")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
    assert (
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )
    assert page.console_problems == []
