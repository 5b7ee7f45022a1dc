"""Browser fixtures: a real Chromium driven by Playwright's sync API.

`browser_page` opens a fresh page in headless Chromium (Debian's
/usr/bin/chromium). Without Chromium the tests skip, except in CI (the `CI`
environment variable is set), where a missing browser is a failure: CI must
never pass by skipping them. Pages are served by pytest-django's `live_server`.

Every page records its console messages and uncaught errors in
`page.console_problems` (a list of strings), so a test can assert that a page
logged no errors and no Content-Security-Policy violations.

Waiting, not racing (issue 16; tests/browser/README.md has the whole rule):

- Every check of the page after an action uses `playwright.sync_api.expect`
  (`to_be_visible`, `to_have_text`, `to_contain_text`, `to_have_count`,
  `to_be_checked`, `to_have_value`, `to_have_attribute`, `to_have_url`, ...),
  which retries until the page gets there or TIMEOUT_MS runs out.
- TIMEOUT_MS is the one timeout of the suite: `expect`, every action and every
  navigation use it. Contexts come from `new_context()` below so they get it.
- No sleeps (`time.sleep`, `page.wait_for_timeout`): wait for a state.
- A plain read (`inner_text()`, `count()`, `evaluate()`, `page.content()`, ...)
  only where nothing can still change: after an `expect` showed the final state
  arrived, or on a server-rendered page right after `goto` finished loading.
  Such a line says why with `# static read: <reason>`.

tests/test_suite_rules.py reads these files and fails on a sleep, on an
unmarked immediate read whose answer is used, and on a context made elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django refuses
# ORM calls from a thread with a running loop unless told it is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The one timeout of the browser suite, for `expect`, actions and navigations alike. A
# passing check returns as soon as the page is there, so only a real failure waits this
# long. 15 s was too short on the 2-core machine shared with other test runs: at a load
# average of 18 a first `goto` of a fresh live server (its first request imports every
# URLconf) took longer.
TIMEOUT_MS = 30_000

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - playwright is a dev dependency
    pass
else:
    expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        _unavailable("the playwright package is not installed")
        raise
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser: Any, **options: Any) -> Any:
    """A browser context whose pages use the suite's TIMEOUT_MS (tests make contexts only
    through this, so every page follows the one timeout)."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def shown_roadmap(transactional_db: Any) -> Any:
    """The roadmap the browser tests look at: the built-in one once its file
    exists, else the small test fixture. Returns (roadmap, document)."""
    from levelup.roadmaps.selectors import current_document
    from levelup.roadmaps.services import (
        BUILTIN_DIR,
        BUILTIN_SLUG,
        builtin_roadmaps_load,
        roadmap_load_file,
    )

    if (BUILTIN_DIR / f"{BUILTIN_SLUG}.yaml").exists():
        builtin_roadmaps_load()
        return current_document(BUILTIN_SLUG)
    result = roadmap_load_file(path=FIXTURES / "tiny.yaml")
    return current_document(result.roadmap.slug)


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def browser_page(chromium_browser: Any, live_server: Any, transactional_db: Any) -> Iterator[Any]:
    """A desktop-sized page (1280 wide) that records console problems.

    Resize with `page.set_viewport_size(PHONE)`. `page.base_url` is the live
    server's address.
    """
    context = new_context(chromium_browser, viewport=DESKTOP, java_script_enabled=True)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        text = message.text
        if message.type in ("error", "warning") or "Content Security Policy" in text:
            problems.append(f"{message.type}: {text}")

    page.on("console", on_console)
    page.on(
        "response",
        lambda response: (
            problems.append(f"http {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    # Chromium logs CSP violations to the console; the event catches any it might not.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy violation: '"
        " + e.violatedDirective + ' ' + e.blockedURI);"
        "});"
    )
    page.console_problems = problems
    page.base_url = live_server.url
    try:
        yield page
    finally:
        context.close()


def sign_in(page: Any, user: Any) -> None:
    """Give the page's browser context a signed-in session of `user` (no password typing:
    Argon2 is slow on purpose, and sign-in itself is tested elsewhere)."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    host = urlsplit(page.base_url).hostname
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )


AXE_VERSION = "4.10.3"


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed once into a cache outside the repository
    (never committed). Without npm the accessibility tests skip (fail in CI)."""
    import shutil
    import subprocess
    import tempfile

    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "levelup-tests"
    target = cache / f"axe-core-{AXE_VERSION}"
    script = target / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm is not installed; it fetches axe-core for the accessibility tests")
    cache.mkdir(parents=True, exist_ok=True)
    # Install into a private directory, then move it into place: parallel test workers
    # never see half an installation.
    staging = Path(tempfile.mkdtemp(dir=cache, prefix="axe-"))
    result = subprocess.run(
        [
            str(npm),
            "install",
            "--prefix",
            str(staging),
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            f"axe-core@{AXE_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        _unavailable(f"npm could not install axe-core: {result.stderr.strip()[-300:]}")
    try:
        staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another worker won the race
    return script
