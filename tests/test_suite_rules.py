"""Rules the browser suite keeps so it waits instead of racing (issue 16).

The browser tests drive a real Chromium whose page scripts run on their own schedule. A
read such as `locator.is_visible()` or `page.content()` answers at once, so an assertion
built on it races the page. These tests read every tests/browser/*.py with `ast` and
fail, naming file:line, when they find:

- a sleep: `time.sleep`, `sleep` imported from `time`, `asyncio.sleep`, or
  `page.wait_for_timeout` — waiting a fixed time is either too short on a loaded machine
  or too long everywhere else;
- an immediate read whose answer is used (`is_visible()`, `is_checked()`, `inner_text()`,
  `text_content()`, `count()`, `input_value()`, `get_attribute()`, `evaluate()`,
  `content()`, … — see IMMEDIATE_READS), or `.url` inside an `assert`. Use
  `playwright.sync_api.expect`, which retries until the suite-wide timeout;
- a browser context made with `.new_context(...)` outside conftest.py, which would miss
  the suite-wide timeout (use `tests.browser.conftest.new_context`).

A read that cannot race carries `# static read: <reason>` on one of its lines (or in the
comment lines right above it): after an
`expect` showed the final state has arrived, or on a server-rendered page `goto` has
finished loading. The rules are written up in tests/browser/README.md.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"

# Playwright calls that answer with the page's state right now, without waiting for it.
IMMEDIATE_READS = frozenset(
    {
        "is_visible",
        "is_hidden",
        "is_enabled",
        "is_disabled",
        "is_checked",
        "is_editable",
        "inner_text",
        "inner_html",
        "text_content",
        "all_inner_texts",
        "all_text_contents",
        "input_value",
        "get_attribute",
        "count",
        "bounding_box",
        "evaluate",
        "evaluate_all",
        "content",
    }
)
SLEEPS = frozenset({"wait_for_timeout"})
OPT_OUT = re.compile(r"#\s*static read:\s*\S")


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _on_a_django_manager(func: ast.Attribute) -> bool:
    """`Model.objects.filter(...).count()` reads the database, not the page."""
    node: ast.AST = func.value
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return False


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.lines = source.splitlines()
        self.found: list[Violation] = []
        self.time_sleep_names: set[str] = set()
        self._statements: list[ast.stmt] = []
        self._in_assert = 0

    # --- helpers ----------------------------------------------------------

    def _opted_out(self, node: ast.AST) -> bool:
        """The opt-out comment counts on any line of the statement holding the read..."""
        statement = self._statements[-1] if self._statements else node
        first = getattr(statement, "lineno", 1)
        last = getattr(statement, "end_lineno", first) or first
        # A compound statement (if/for/with) counts only its header lines.
        body = getattr(statement, "body", None)
        if isinstance(body, list) and body and not isinstance(statement, ast.Assert):
            last = max(first, body[0].lineno - 1)
        lines = self.lines[first - 1 : last]
        # ... or in the comment lines right above the statement.
        above = first - 2
        while above >= 0 and self.lines[above].lstrip().startswith("#"):
            lines.append(self.lines[above])
            above -= 1
        return any(OPT_OUT.search(line) for line in lines)

    def _report(self, node: ast.AST, message: str) -> None:
        self.found.append(Violation(self.path, getattr(node, "lineno", 0), message))

    # --- visitors -----------------------------------------------------------

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            self._statements.append(node)
            try:
                super().generic_visit(node)
            finally:
                self._statements.pop()
        else:
            super().generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module in ("time", "asyncio"):
            for alias in node.names:
                if alias.name == "sleep":
                    self.time_sleep_names.add(alias.asname or alias.name)
        self.generic_visit(node)

    def visit_Assert(self, node: ast.Assert) -> None:
        self._in_assert += 1
        try:
            self.generic_visit(node)
        finally:
            self._in_assert -= 1

    def visit_Expr(self, node: ast.Expr) -> None:
        # A call whose answer is thrown away is an action (`page.evaluate("x = 1")`), not a
        # read; its arguments may still hold reads.
        self._statements.append(node)
        try:
            if isinstance(node.value, ast.Call):
                self._visit_call(node.value, used=False)
            else:
                self.visit(node.value)
        finally:
            self._statements.pop()

    def visit_Call(self, node: ast.Call) -> None:
        self._visit_call(node, used=True)

    def _visit_call(self, node: ast.Call, *, used: bool) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            name = func.attr
            if name == "sleep" and isinstance(func.value, ast.Name):
                if func.value.id in ("time", "asyncio"):
                    self._report(node, f"{func.value.id}.sleep: wait for a state with expect")
            elif name in SLEEPS:
                self._report(node, f"{name}: wait for a state with expect, not for a time")
            elif name == "new_context" and Path(self.path).name != "conftest.py":
                self._report(
                    node, "new_context: use tests.browser.conftest.new_context (shared timeout)"
                )
            elif (
                used
                and name in IMMEDIATE_READS
                and not _on_a_django_manager(func)
                and not self._opted_out(node)
            ):
                self._report(
                    node,
                    f"immediate read .{name}(): use expect(...), or mark the line "
                    "'# static read: <reason>'",
                )
        elif isinstance(func, ast.Name) and func.id in self.time_sleep_names:
            self._report(node, f"{func.id}(): wait for a state with expect")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (
            self._in_assert
            and node.attr == "url"
            and isinstance(node.ctx, ast.Load)
            and not self._opted_out(node)
        ):
            self._report(node, "page.url in an assert: use expect(page).to_have_url(...)")
        self.generic_visit(node)


def check_source(source: str, path: str = "<snippet>") -> list[Violation]:
    """Every rule the source breaks, in line order."""
    checker = _Checker(path, source)
    checker.visit(ast.parse(source, filename=path))
    return sorted(checker.found, key=lambda v: (v.line, v.message))


def check_browser_suite(folder: Path = BROWSER_TESTS) -> list[Violation]:
    found: list[Violation] = []
    for file in sorted(folder.glob("*.py")):
        relative = str(file.relative_to(folder.parent.parent))
        found += check_source(file.read_text(), relative)
    return found


# --- the rules applied --------------------------------------------------------


def test_the_browser_suite_waits_instead_of_racing() -> None:
    assert BROWSER_TESTS.is_dir()
    problems = check_browser_suite()
    assert problems == [], "\n" + "\n".join(map(str, problems))


def test_the_browser_conftest_sets_one_suite_wide_timeout() -> None:
    conftest = (BROWSER_TESTS / "conftest.py").read_text()
    assert "expect.set_options(timeout=TIMEOUT_MS)" in conftest
    assert "set_default_timeout(TIMEOUT_MS)" in conftest
    assert "set_default_navigation_timeout(TIMEOUT_MS)" in conftest


# --- the checker itself -------------------------------------------------------


def _check(snippet: str) -> list[str]:
    return [str(v) for v in check_source(textwrap.dedent(snippet), "tests/browser/test_x.py")]


def test_a_clean_test_passes() -> None:
    assert (
        _check(
            """
            from playwright.sync_api import expect

            def test_copy(page):
                page.get_by_role("button", name="Copy").click()
                expect(page.get_by_role("status")).to_have_text("Copied.")
                expect(page).to_have_url(re.compile("/tokens/$"))
                page.evaluate("window.__sameDocument = true")
                assert page.console_problems == []
                assert ApiToken.objects.filter(name="x").count() == 1
            """
        )
        == []
    )


def test_an_immediate_read_in_an_assert_is_named_with_its_line() -> None:
    assert _check(
        """
        def test_copy(page):
            page.get_by_role("button", name="Copy").click()
            assert page.get_by_role("status").filter(has_text="Copied.").is_visible()
            assert page.locator(".row").count() == 2
        """
    ) == [
        "tests/browser/test_x.py:4: immediate read .is_visible(): use expect(...), "
        "or mark the line '# static read: <reason>'",
        "tests/browser/test_x.py:5: immediate read .count(): use expect(...), "
        "or mark the line '# static read: <reason>'",
    ]


def test_a_read_kept_for_later_or_used_in_a_condition_is_caught_too() -> None:
    found = _check(
        """
        def test_x(page):
            text = page.locator("h1").inner_text()
            assert "Week" in text
            if page.get_by_label("Title").input_value():
                pass
            assert "Saved" in page.content()
            assert page.url.endswith("/dashboard/")
        """
    )
    assert [line.split(": ", 1)[0] for line in found] == [
        "tests/browser/test_x.py:3",
        "tests/browser/test_x.py:5",
        "tests/browser/test_x.py:7",
        "tests/browser/test_x.py:8",
    ]
    assert ".inner_text()" in found[0] and ".input_value()" in found[1]
    assert ".content()" in found[2] and "to_have_url" in found[3]


def test_sleeps_of_every_spelling_are_caught() -> None:
    found = _check(
        """
        import time
        from time import sleep as nap

        def test_x(page):
            time.sleep(1)
            nap(0.5)
            page.wait_for_timeout(500)
        """
    )
    assert [line.split(": ", 2)[:2] for line in found] == [
        ["tests/browser/test_x.py:6", "time.sleep"],
        ["tests/browser/test_x.py:7", "nap()"],
        ["tests/browser/test_x.py:8", "wait_for_timeout"],
    ]


def test_the_opt_out_needs_a_reason_and_counts_on_any_line_of_the_statement() -> None:
    assert (
        _check(
            """
            def test_x(page):
                expect(page.locator("#list li")).to_have_count(3)
                names = page.locator("#list li").all_inner_texts()  # static read: count above
                assert (
                    page.locator("h1").inner_text()  # static read: server-rendered, loaded
                    == "Plan"
                )
                # static read: the count above shows the list is complete, and the
                # script never changes it afterwards.
                assert page.locator("#list li").nth(2).is_visible()
            """
        )
        == []
    )
    assert (
        len(
            _check(
                """
            def test_x(page):
                assert page.locator("h1").is_visible()  # static read:
            """
            )
        )
        == 1
    )


def test_an_opt_out_covers_only_the_statement_it_sits_on_or_right_above() -> None:
    found = _check(
        """
        def test_x(page):
            # static read: the page is loaded
            page.get_by_role("button", name="Save").click()
            assert page.locator("h1").is_visible()
        """
    )
    assert [line.split(": ", 1)[0] for line in found] == ["tests/browser/test_x.py:5"]


def test_an_opt_out_on_a_loop_header_does_not_cover_its_body() -> None:
    found = _check(
        """
        def test_x(page):
            for i in range(page.locator("li").count()):  # static read: count expected above
                assert page.locator("li").nth(i).is_visible()
        """
    )
    assert [line.split(": ", 1)[0] for line in found] == ["tests/browser/test_x.py:4"]


def test_a_context_made_outside_the_conftest_is_caught() -> None:
    found = _check(
        """
        def test_x(chromium_browser):
            context = chromium_browser.new_context(java_script_enabled=False)
        """
    )
    assert len(found) == 1 and "new_context" in found[0]
    assert check_source("ctx = browser.new_context()\n", "tests/browser/conftest.py") == []
