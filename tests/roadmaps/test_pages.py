"""The public pages: home, roadmap, topic and project.

Rendered through Django's test client, so they are checked the way a browser
without JavaScript sees them: everything is in the HTML the server sends.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from levelup.accounts.models import User
from levelup.roadmaps.schema import RoadmapDocument
from levelup.roadmaps.services import roadmap_load_file
from levelup.roadmaps.templatetags.levelup_tags import hours, hours_range, render_markdown
from levelup.roadmaps.timeline import month_axis_svg, tick_step

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny.yaml"


@pytest.fixture
def tiny(db: Any) -> Any:
    return roadmap_load_file(path=TINY).roadmap


def html_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def text_of(html: str) -> str:
    """The visible words, roughly: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


# --- home ----------------------------------------------------------------------


def test_home_explains_the_product_and_leads_to_sign_up(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/"))
    assert "Turn a roadmap into a plan you actually follow" in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/roadmaps/tiny/"' in html
    assert "A tiny roadmap" in html


def test_the_bare_roadmaps_address_leads_to_the_roadmap_list(client: Client, tiny: Any) -> None:
    response = client.get("/roadmaps/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert tiny.title in response.content.decode()


def test_home_says_what_to_do_when_no_roadmap_is_loaded(client: Client, db: Any) -> None:
    html = html_of(client.get("/"))
    assert "No roadmap is loaded yet" in html
    assert "levelup roadmap load" in html


def test_anonymous_navigation_offers_log_in_and_sign_up(client: Client, db: Any) -> None:
    html = html_of(client.get("/"))
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    assert ">Log in<" in nav and ">Sign up<" in nav and ">Roadmap<" in nav
    assert "Dashboard" not in nav and "Log out" not in nav


def test_signed_in_navigation_offers_the_learner_pages_and_a_log_out_form(
    web_for: Callable[[User | None], Client], alice: User
) -> None:
    html = html_of(web_for(alice).get("/"))
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    for href in (
        "/dashboard/",
        "/journal/",
        "/accounts/profile/",
        "/roadmaps/backend-junior-to-senior/",
    ):
        assert f'href="{href}"' in nav
    assert ">Sign up<" not in nav
    logout = nav.split('action="/accounts/logout/"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in logout
    assert re.search(r'<form class="inline-form" method="post" action="/accounts/logout/"', nav)


def test_the_current_section_is_marked_in_the_navigation(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/roadmaps/tiny/"))
    assert re.search(r'href="/roadmaps/[^"]+/" aria-current="page">Roadmap<', html)


# --- roadmap page ----------------------------------------------------------------


def test_roadmap_page_shows_phases_with_their_months(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/roadmaps/tiny/"))
    text = text_of(html)
    assert "Basics" in text and "More" in text
    assert "Months 1–2" in text and "Months 2–4" in text
    assert "Focus: Getting started" in text
    # Each topic with its window and subtopics, linking to its own page.
    assert 'href="/roadmaps/tiny/topics/alpha/"' in html
    assert re.search(r"Alpha</a></h5>\s*<span class=\"window\">Months 1–2</span>", html)
    assert re.search(r"Beta</a></h5>\s*<span class=\"window\">Months 3–4</span>", html)
    for sub in ("One", "Two", "Three"):
        assert f"<li>{sub}</li>" in html


def test_roadmap_page_counts_what_the_roadmap_holds(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/roadmaps/tiny/"))
    for name, count in (
        ("phases", 2),
        ("topics", 2),
        ("subtopics", 3),
        ("projects", 1),
        ("checkpoints", 1),
    ):
        assert f'id="count-{name}">{count}<' in html


def test_roadmap_page_draws_an_accessible_timeline_with_a_table(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/roadmaps/tiny/"))
    svg = html.split('<svg class="timeline"')[1].split("</svg>")[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert svg.count('class="tl-bar"') == 2
    assert 'class="tl-row phase-1"' in svg and 'class="tl-row phase-2"' in svg
    table = html.split('class="table-compact timeline-table"')[1].split("</table>")[0]
    assert re.search(r"Basics</th>\s*<td[^>]*>Months 1–2</td>", table)
    assert re.search(r"More</th>\s*<td[^>]*>Months 2–4</td>", table)


def test_roadmap_page_lists_projects_by_level_and_checkpoints_with_what_they_require(
    client: Client, tiny: Any
) -> None:
    html = html_of(client.get("/roadmaps/tiny/"))
    text = text_of(html)
    assert 'id="level-starter"' in html and "Starter" in text
    assert 'href="/roadmaps/tiny/projects/build-it/"' in html
    assert "Four months in" in text and "Month 4" in text
    built = text_of(html.split('id="criterion-month-4-built"')[1].split("</li>")[0])
    assert "Built the thing" in built and "Requires" in built and "Build it" in built
    taught = text_of(html.split('id="criterion-month-4-taught"')[1].split("</li>")[0])
    assert "Taught someone" in taught and "Evidence" in taught


def test_roadmap_page_shows_the_weekly_schedule_with_targets(client: Client, tiny: Any) -> None:
    text = text_of(html_of(client.get("/roadmaps/tiny/")))
    assert "Plan on 4–6 h a week" in text
    assert "Theory 2–3 h" in text and "Projects 1–2 h" in text and "Review 1 h" in text


def test_builtin_roadmap_page_shows_the_whole_journey(client: Client, builtin: Any) -> None:
    roadmap, document = builtin
    html = html_of(client.get(f"/roadmaps/{roadmap.slug}/"))
    text = text_of(html)
    table = text_of(html.split('class="table-compact timeline-table"')[1].split("</table>")[0])
    for phase, months in zip(
        document.phases, ("1–6", "3–9", "7–12", "10–18", "16–24"), strict=True
    ):
        assert f"{phase.title} Months {months}" in table
    for name, count in (
        ("phases", 5),
        ("topics", 20),
        ("subtopics", 104),
        ("projects", 12),
        ("checkpoints", 4),
    ):
        assert f'id="count-{name}">{count}<' in html
    assert html.count('class="criteria"') == 4
    assert "2 of 3" in text
    assert "Evidence" in text
    assert "10–15 h" in text and "6–8 h" in text and "4–6 h" in text and "2–3 h" in text
    assert html.count('class="topic" id="topic-') == 20
    assert html.count('class="topic" id="project-') == 12


def test_unknown_roadmap_topic_and_project_answer_404(client: Client, tiny: Any) -> None:
    for path in (
        "/roadmaps/nope/",
        "/roadmaps/tiny/topics/nope/",
        "/roadmaps/tiny/topics/one/",  # a subtopic slug is not a topic page
        "/roadmaps/tiny/projects/nope/",
        "/roadmaps/nope/topics/alpha/",
        "/roadmaps/nope/projects/build-it/",
    ):
        assert client.get(path).status_code == 404, path


# --- topic and project pages -------------------------------------------------------


def test_topic_page_shows_its_window_subtopics_and_links(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/roadmaps/tiny/topics/alpha/"))
    text = text_of(html)
    assert "<h1>Alpha</h1>" in html
    assert "Months 1–2" in text and "Basics" in text and "Core" in text
    assert 'id="sub-one"' in html and 'id="sub-two"' in html
    assert "Subtopics (2)" in text
    assert '<span class="badge">Theory</span>' in html  # the category's title, not its slug
    assert 'href="/roadmaps/tiny/projects/build-it/"' in html


def test_topic_page_links_its_prerequisites(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/roadmaps/tiny/topics/beta/"))
    assert "Before this topic" in html
    assert 'href="/roadmaps/tiny/topics/alpha/">Alpha</a>' in html


def test_project_page_shows_level_window_topics_and_checkpoints(client: Client, tiny: Any) -> None:
    html = html_of(client.get("/roadmaps/tiny/projects/build-it/"))
    text = text_of(html)
    assert "<h1>Build it</h1>" in html
    assert "Project · Starter" in text and "Months 2–4" in text
    assert "<p>Build a thing.</p>" in html
    assert 'href="/roadmaps/tiny/topics/alpha/">Alpha</a>' in html
    assert "Four months in" in text and "Built the thing" in text


# --- security and accessibility of the markup ---------------------------------------


PAGES = [
    "/",
    "/roadmaps/tiny/",
    "/roadmaps/tiny/topics/alpha/",
    "/roadmaps/tiny/projects/build-it/",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_style_or_handlers(
    client: Client, tiny: Any, path: str
) -> None:
    html = html_of(client.get(path))
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), "inline script body"
    assert "<style" not in html
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "javascript:" not in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_a_strict_content_security_policy(client: Client, tiny: Any, path: str) -> None:
    policy = client.get(path)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_a_skip_link_landmarks_and_one_h1(client: Client, tiny: Any, path: str) -> None:
    html = html_of(client.get(path))
    body = html.split("<body>")[1]
    assert body.lstrip().startswith('<a class="skip-link" href="#main">')
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert len(re.findall(r"<h1\b", html)) == 1
    assert '<html lang="en">' in html


# --- query counts ----------------------------------------------------------------------


def test_roadmap_pages_use_one_query_whatever_the_roadmap_size(
    client: Client, tiny: Any, builtin: Any, django_assert_num_queries: Any
) -> None:
    roadmap, document = builtin
    topic = next(iter(document.topics))
    for path in (
        "/roadmaps/tiny/",
        f"/roadmaps/{roadmap.slug}/",
        "/roadmaps/tiny/topics/alpha/",
        f"/roadmaps/{roadmap.slug}/topics/{topic}/",
        f"/roadmaps/{roadmap.slug}/projects/{document.projects[0].slug}/",
    ):
        with django_assert_num_queries(1):
            assert client.get(path).status_code == 200


def test_signed_in_pages_add_a_fixed_number_of_queries(
    web_for: Callable[[User | None], Client],
    alice: User,
    builtin: Any,
    django_assert_num_queries: Any,
) -> None:
    client = web_for(alice)
    # Session and user, the roadmap, the enrollment whose pinned version the page
    # shows, then the progress hook looks for an enrollment.
    with django_assert_num_queries(5):
        assert client.get(f"/roadmaps/{builtin[0].slug}/").status_code == 200
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200


def test_home_uses_one_query_for_any_number_of_roadmaps(
    client: Client, tiny: Any, builtin: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        html = html_of(client.get("/"))
    assert "A tiny roadmap" in html and builtin[1].title in html


def test_the_document_is_parsed_once_and_then_served_from_the_cache(
    client: Client, tiny: Any
) -> None:
    client.get("/roadmaps/tiny/")
    with mock.patch.object(
        RoadmapDocument, "model_validate", side_effect=AssertionError("parsed again")
    ):
        assert client.get("/roadmaps/tiny/").status_code == 200
        assert client.get("/roadmaps/tiny/topics/beta/").status_code == 200


# --- the learner item-controls hook ----------------------------------------------------


def _controls(**context: Any) -> str:
    request = RequestFactory().get("/roadmaps/tiny/")
    return render_to_string(
        "roadmaps/_item_controls.html", {"item_key": "topic:alpha", **context}, request=request
    )


def test_item_controls_render_nothing_without_learner_states(client: Client, tiny: Any) -> None:
    assert _controls().strip() == ""
    assert "item-controls" not in html_of(client.get("/roadmaps/tiny/"))


def test_item_controls_show_the_state_and_post_a_new_one() -> None:
    html = _controls(
        learner_states={"topic:alpha": "in_progress"}, learner_status_action="/progress/set/"
    )
    assert 'action="/progress/set/"' in html and 'method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="item_key" value="topic:alpha"' in html
    assert "status-in_progress" in html and "In progress" in html
    assert re.search(r'value="in_progress" data-shortcut="l" aria-pressed="true"', html)
    assert re.search(r'value="done" data-shortcut="d" aria-pressed="false"', html)
    for key in ("d", "l", "s", "r"):
        assert f'data-shortcut="{key}"' in html


def test_item_controls_treat_a_missing_key_as_not_started() -> None:
    html = _controls(learner_states={})
    assert "status-not_started" in html and "Not started" in html
    assert re.search(r'value="not_started" data-shortcut="r" aria-pressed="true"', html)


# --- template helpers -------------------------------------------------------------------


def test_markdown_renders_and_strips_anything_unsafe() -> None:
    html = render_markdown(
        "Read **this** [doc](https://example.com/a) or [mail](mailto:a@example.com).\n\n"
        "<script>alert(1)</script> [bad](javascript:alert(1)) <img src=x onerror=alert(1)>"
        ' <a href="data:text/html,x" style="color:red">data</a>'
    )
    assert "<strong>this</strong>" in html
    assert 'href="https://example.com/a"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert 'href="mailto:a@example.com"' in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert "<img" not in html and "data:" not in html and "style=" not in html


def test_markdown_of_nothing_is_empty() -> None:
    assert render_markdown(None) == "" and render_markdown("") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7.5, "7.5 h"),
        (8, "8 h"),
        (8.0, "8 h"),
        (Decimal("7.50"), "7.5 h"),
        (0.25, "0.25 h"),
        (None, ""),
        ("x", ""),
    ],
)
def test_hours_reads_as_a_number_of_hours(value: Any, expected: str) -> None:
    assert hours(value) == expected


def test_hours_range_gives_a_target_range() -> None:
    assert hours_range(6, 8) == "6–8 h"
    assert hours_range(Decimal("2.0"), 2) == "2 h"


# --- the timeline helper ----------------------------------------------------------------


class _Phase:
    def __init__(self, slug: str, title: str, start: int, end: int) -> None:
        self.slug, self.title, self.month_start, self.month_end = slug, title, start, end


def _bars(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(w))
        for x, w in re.findall(
            r'<rect class="tl-bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg
        )
    ]


def test_timeline_bars_overlap_where_the_phases_do() -> None:
    timeline = month_axis_svg([_Phase("a", "A", 1, 6), _Phase("b", "B", 3, 9)], 12)
    (a_x, a_w), (b_x, b_w) = _bars(timeline.svg)
    assert b_x < a_x + a_w  # B starts before A ends
    assert a_w == pytest.approx(b_w * 6 / 7, rel=0.01)
    assert [row.months for row in timeline.rows] == ["Months 1–6", "Months 3–9"]
    assert "2 phases over 12 months" in timeline.summary


def test_timeline_escapes_titles_from_authors() -> None:
    timeline = month_axis_svg([_Phase("a", '<b onclick="x">Bold</b>', 1, 2)], 4)
    assert "<b " not in timeline.svg and "&lt;b onclick=&quot;x&quot;&gt;" in timeline.svg


def test_timeline_marks_today_and_progress() -> None:
    timeline = month_axis_svg(
        [_Phase("a", "A", 1, 4), _Phase("b", "B", 3, 6)], 6, today_month=3.5, progress={"a": 40}
    )
    assert 'class="tl-today"' in timeline.svg
    assert "Today is in month 4." in timeline.summary
    assert [row.percent for row in timeline.rows] == [40.0, None]
    assert "A · Months 1–4 · 40%" in timeline.svg
    # Both bars pale, only A's done part solid: B has no figure, so nothing is shown done.
    assert timeline.svg.count("tl-bar-pale") == 2
    assert timeline.svg.count('<rect class="tl-bar" ') == 1


def test_timeline_colours_repeat_after_five_phases() -> None:
    phases = [_Phase(f"p{i}", f"P{i}", 1, 2) for i in range(7)]
    assert [row.colour for row in month_axis_svg(phases, 2).rows] == [1, 2, 3, 4, 5, 1, 2]


@pytest.mark.parametrize(("months", "step"), [(4, 1), (12, 1), (24, 3), (48, 6), (120, 12)])
def test_timeline_labels_ticks_sparsely_on_long_axes(months: int, step: int) -> None:
    assert tick_step(months) == step
