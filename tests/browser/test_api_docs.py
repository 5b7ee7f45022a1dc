"""The interactive API docs render in Chromium and list every operation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from levelup.api import api

pytestmark = pytest.mark.browser

METHODS = ("get", "post", "put", "patch", "delete")
SUMMARIES = """blocks => blocks.map(block => [
  block.querySelector(".opblock-summary-method").textContent,
  block.querySelector(".opblock-summary-path").getAttribute("data-path"),
])"""


def test_the_api_docs_show_every_operation(browser_page: Any) -> None:
    page = browser_page
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = [
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in METHODS
    ]
    assert len(operations) > 30

    response = page.goto(page.base_url + "/api/docs")
    assert response is not None and response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("levelup API")
    # Swagger UI renders one block per operation, with the method and path as text.
    blocks = page.locator(".opblock")
    expect(blocks).to_have_count(len(operations))
    # static read: every block is drawn (the count above), and Swagger UI draws them once.
    shown = blocks.evaluate_all(SUMMARIES)
    assert {(method.strip().lower(), path) for method, path in shown} == set(operations)
    # Everything the page needs came from this server (no CDN), and nothing was refused.
    assert page.console_problems == []
