"""Every page of a lived-in account (the `levelup demo` learner), in Chromium: at 1366 and
390 px, light and dark: no sideways page scroll on a phone, and axe-core (WCAG 2.0-2.2 A/AA
rules) finds no serious or critical accessibility problem.

axe is injected with `add_script_tag(path=...)`, which Playwright inserts as an inline
script; the strict CSP rightly blocks that, so these contexts (and only these) use
`bypass_csp=True`. CSP itself is tested with it on in test_pages.py and elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.progress.demo import DEMO_USERNAME, demo_create
from levelup.progress.models import Enrollment, Evidence
from levelup.roadmaps.services import BUILTIN_SLUG
from tests.browser.conftest import new_context, sign_in

pytestmark = pytest.mark.browser

WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _pages() -> list[str]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=DEMO_USERNAME)
    enrollment = Enrollment.objects.get(user=user)
    e = enrollment.pk
    session = StudySession.objects.filter(enrollment=enrollment, practice_problem=None).first()
    problem = PracticeProblem.objects.filter(enrollment=enrollment).first()
    entry = JournalEntry.objects.filter(enrollment=enrollment).first()
    evidence = Evidence.objects.filter(enrollment=enrollment).first()
    pages = [
        "/",
        f"/roadmaps/{BUILTIN_SLUG}/",
        f"/roadmaps/{BUILTIN_SLUG}/topics/advanced-nodejs/",
        f"/roadmaps/{BUILTIN_SLUG}/projects/rest-api-with-auth/",
        "/dashboard/",
        f"/enrollments/{e}/onboarding/",
        f"/enrollments/{e}/assessment/",
        f"/enrollments/{e}/settings/",
        f"/enrollments/{e}/items/topic:advanced-nodejs/",
        f"/enrollments/{e}/items/project:rest-api-with-auth/",
        "/journal/",
        "/journal/sessions/",
        "/journal/practice/",
        "/journal/entries/",
        "/journal/entries/new/",
        "/journal/csv/",
        f"/plan/{e}/",
        "/accounts/profile/",
        "/accounts/password/",
        "/accounts/tokens/",
        "/no-such-page/",
    ]
    if session is not None:
        pages += [
            f"/journal/sessions/{session.pk}/edit/",
            f"/journal/sessions/{session.pk}/delete/",
        ]
    if problem is not None:
        pages.append(f"/journal/practice/{problem.pk}/edit/")
    if entry is not None:
        pages += [f"/journal/entries/{entry.pk}/", f"/journal/entries/{entry.pk}/edit/"]
    if evidence is not None:
        pages.append(f"/enrollments/{e}/evidence/{evidence.pk}/edit/")
    return pages


AXE_RUN = """async ([tags, rules]) => {
  const only = rules ? {type: "rule", values: rules} : {type: "tag", values: tags};
  const result = await axe.run(document, {runOnly: only, resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""
# The smallest text of any chart as drawn: its font size times the SVG's scale.
SMALLEST_CHART_TEXT = """() => {
  let smallest = null;
  for (const svg of document.querySelectorAll("svg[viewBox]")) {
    const box = svg.viewBox.baseVal;
    const shown = svg.getBoundingClientRect().width;
    if (!box || !box.width || !shown) continue;
    const scale = shown / box.width;
    for (const text of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (smallest === null || size < smallest) smallest = size;
    }
  }
  return smallest;
}"""

# The dark theme changes colours only, so in it axe checks the colour rules; every other
# rule (layout, names, roles, target sizes) runs once per width in the light theme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_every_page_fits_and_has_no_serious_accessibility_problem(
    chromium_browser: Any,
    live_server: Any,
    transactional_db: Any,
    axe_script: Path,
    width_name: str,
) -> None:
    from django.contrib.auth import get_user_model

    demo_create()
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    pages = _pages()
    viewport = WIDTHS[width_name]
    problems: list[str] = []
    for scheme, rules in (("light", None), ("dark", COLOUR_RULES)):
        context = new_context(
            chromium_browser, viewport=viewport, color_scheme=scheme, bypass_csp=True
        )
        context.add_init_script(path=str(axe_script))
        try:
            page = context.new_page()
            page.base_url = live_server.url
            sign_in(page, user)
            for path in pages:
                where = f"{path} [{width_name} {scheme}]"
                response = page.goto(live_server.url + path)
                expected = 404 if path == "/no-such-page/" else 200
                if response is None or response.status != expected:
                    problems.append(f"{where}: HTTP {response.status if response else '?'}")
                    continue
                # Each page is server-rendered and `goto` waited for its load event; the
                # checks below read it as loaded, nothing on it is still on its way.
                if width_name == "390" and scheme == "light":
                    # static read: loaded server-rendered page (see above)
                    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if wide > 1:
                        problems.append(f"{where}: scrolls sideways by {wide} px")
                    smallest = page.evaluate(SMALLEST_CHART_TEXT)  # static read: as above
                    if smallest is not None and smallest < 11:
                        problems.append(f"{where}: chart text drawn at {smallest:.1f} px")
                # static read: axe inspects the loaded page (see above)
                for violation in page.evaluate(AXE_RUN, [AXE_TAGS, rules]):
                    problems.append(f"{where}: {violation}")
        finally:
            context.close()
    assert problems == [], "\n" + "\n".join(problems)
