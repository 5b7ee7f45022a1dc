"""Journal pages: authorization, quick add, forms, rendering, pinned query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from levelup.journal import services
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def data(mine):
    session = services.study_session_log(
        enrollment=mine, minutes=30, category="theory", date=dt.date(2026, 3, 16)
    ).session
    problem = services.practice_problem_log(
        enrollment=mine, platform="leetcode", title="Two Sum", difficulty="easy", outcome="solved"
    )
    entry = services.journal_entry_create(enrollment=mine, title="Hello", body="hi", tags=["sql"])
    return {"e": mine.pk, "s": session.pk, "p": problem.pk, "j": entry.pk}


LIST_PAGES = [
    "journal:week",
    "journal:sessions",
    "journal:practice",
    "journal:entries",
    "journal:csv",
]
OBJECT_PAGES = [
    ("journal:session_edit", "s"),
    ("journal:session_delete", "s"),
    ("journal:practice_edit", "p"),
    ("journal:practice_delete", "p"),
    ("journal:entry", "j"),
    ("journal:entry_edit", "j"),
    ("journal:entry_delete", "j"),
]


@pytest.mark.parametrize("name", [*LIST_PAGES, "journal:entry_new", "journal:export"])
def test_anonymous_is_sent_to_login(web_for, db, name):
    response = web_for(None).get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", [*LIST_PAGES, "journal:entry_new", "journal:export"])
def test_the_owner_sees_the_page(web_for, alice, data, name):
    response = web_for(alice).get(reverse(name), {"enrollment": data["e"]})
    assert response.status_code == 200


@pytest.mark.parametrize("name", [*LIST_PAGES, "journal:entry_new", "journal:export"])
@pytest.mark.parametrize("who", ["bob", "staff"])
def test_another_users_enrollment_is_404(web_for, data, name, who, request):
    response = web_for(request.getfixturevalue(who)).get(reverse(name), {"enrollment": data["e"]})
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "key"), OBJECT_PAGES)
@pytest.mark.parametrize("who", ["bob", "staff"])
def test_another_users_objects_are_404_and_unchanged(web_for, data, name, key, who, request):
    client = web_for(request.getfixturevalue(who))
    url = reverse(name, args=[data[key]])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x", "minutes": 5, "category": "theory"}).status_code == 404
    assert StudySession.objects.count() == 1
    assert PracticeProblem.objects.count() == 1
    assert JournalEntry.objects.get().title == "Hello"


@pytest.mark.parametrize(("name", "key"), OBJECT_PAGES)
def test_the_owner_opens_object_pages(web_for, alice, data, name, key):
    response = web_for(alice).get(reverse(name, args=[data[key]]))
    assert response.status_code in (200, 302)


def test_without_an_enrollment_the_page_says_what_to_do(web_for, bob, db):
    response = web_for(bob).get(reverse("journal:week"))
    assert response.status_code == 200
    assert "enroll" in response.content.decode()


def test_the_week_page_shows_numbers_with_targets_and_a_chart_with_a_table(web_for, alice, mine):
    services.study_session_log(
        enrollment=mine, minutes=150, category="theory", date=dt.date(2026, 3, 17)
    )
    html = web_for(alice).get(reverse("journal:week")).content.decode()
    assert "Week of 16 Mar 2026" in html
    assert "2.5 h" in html and "of 2–3 h" in html
    assert "<svg" in html and 'class="target-band"' in html
    assert "<table" in html and "2026-W01" in html  # 12 weeks back from W12
    assert "style=" not in html and "<script>" not in html
    assert 'rel="prev"' in html and "week=2026-W11" in html


def test_the_week_page_accepts_a_week_and_refuses_nonsense(web_for, alice, mine):
    client = web_for(alice)
    assert (
        "Week of 5 Jan 2026"
        in client.get(reverse("journal:week"), {"week": "2026-W02"}).content.decode()
    )
    assert client.get(reverse("journal:week"), {"week": "soon"}).status_code == 404


def test_quick_add_logs_a_session_from_one_line(web_for, alice, mine):
    response = web_for(alice).post(
        reverse("journal:session_add"),
        {
            "enrollment": mine.pk,
            "line": "1h30 theory topic:alpha yesterday joins",
            "next": "/journal/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/journal/"
    session = StudySession.objects.get()
    assert (session.minutes, session.category, session.item_key, session.date, session.note) == (
        90,
        "theory",
        "topic:alpha",
        dt.date(2026, 3, 19),
        "joins",
    )


def test_quick_add_with_a_bad_line_writes_nothing_and_says_why(web_for, alice, mine):
    client = web_for(alice)
    response = client.post(
        reverse("journal:session_add"), {"enrollment": mine.pk, "line": "2000m theory"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Not logged:" in page and "minutes" in page
    # The typed line is still there to fix, not lost to a redirect.
    assert 'value="2000m theory"' in page
    assert not StudySession.objects.exists()


def test_the_dashboard_logs_study_time_in_one_line(web_for, alice, mine):
    client = web_for(alice)
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    assert 'name="line"' in dashboard and "Log study time" in dashboard
    response = client.post(
        reverse("journal:session_add"),
        {"enrollment": mine.pk, "line": "45m review", "next": reverse("dashboard:home")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")
    assert StudySession.objects.get().minutes == 45


def test_quick_add_ignores_an_offsite_next(web_for, alice, mine):
    response = web_for(alice).post(
        reverse("journal:session_add"),
        {"enrollment": mine.pk, "line": "30 review", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/journal/sessions/")


def test_the_full_form_shows_field_errors(web_for, alice, mine):
    response = web_for(alice).post(
        reverse("journal:session_add"),
        {"enrollment": mine.pk, "minutes": 961, "category": "theory", "date": "2026-03-19"},
    )
    assert response.status_code == 422
    assert "between 1 and 960" in response.content.decode()
    assert not StudySession.objects.exists()


def test_edit_and_delete_a_session(web_for, alice, data):
    client = web_for(alice)
    url = reverse("journal:session_edit", args=[data["s"]])
    response = client.post(url, {"minutes": 45, "category": "review", "date": "2026-03-16"})
    assert response.status_code == 302
    assert StudySession.objects.get(pk=data["s"]).minutes == 45
    client.post(reverse("journal:session_delete", args=[data["s"]]))
    assert not StudySession.objects.filter(pk=data["s"]).exists()


def test_practice_form_logs_a_problem_and_its_time(web_for, alice, mine):
    response = web_for(alice).post(
        reverse("journal:practice"),
        {
            "enrollment": mine.pk,
            "platform": "leetcode",
            "title": "Valid Parentheses",
            "url": "https://leetcode.com/problems/valid-parentheses/",
            "difficulty": "easy",
            "outcome": "solved",
            "minutes": 20,
        },
    )
    assert response.status_code == 302
    assert StudySession.objects.get().minutes == 20


def test_practice_form_refuses_a_bad_url(web_for, alice, mine):
    response = web_for(alice).post(
        reverse("journal:practice"),
        {"enrollment": mine.pk, "platform": "leetcode", "title": "x", "url": "javascript:alert(1)",
         "difficulty": "easy", "outcome": "solved", "minutes": 0},
    )  # fmt: skip
    assert response.status_code == 422
    assert "not an http(s) URL" in response.content.decode()
    assert not PracticeProblem.objects.exists()


def test_journal_markdown_is_rendered_sanitized(web_for, alice, mine):
    entry = services.journal_entry_create(
        enrollment=mine,
        title="Notes",
        body="**bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    html = web_for(alice).get(reverse("journal:entry", args=[entry.pk])).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html


def test_journal_list_filters_and_searches(web_for, alice, mine):
    services.journal_entry_create(enrollment=mine, title="Indexes", body="b-tree", tags=["sql"])
    services.journal_entry_create(enrollment=mine, title="Closures", body="scope", tags=["js"])
    client = web_for(alice)
    html = client.get(reverse("journal:entries"), {"tag": "sql"}).content.decode()
    assert "Indexes" in html and "Closures" not in html
    html = client.get(reverse("journal:entries"), {"q": "SCOPE"}).content.decode()
    assert "Closures" in html and "Indexes" not in html


def test_new_entry_form(web_for, alice, mine):
    client = web_for(alice)
    response = client.post(
        reverse("journal:entry_new") + f"?enrollment={mine.pk}",
        {"title": "Day 1", "body": "hello", "tags": "sql, go", "item_keys": "topic:alpha"},
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert (entry.tags, entry.item_keys) == (["sql", "go"], ["topic:alpha"])
    response = client.post(reverse("journal:entry_new"), {"title": "x", "item_keys": "topic:nope"})
    assert response.status_code == 422 and JournalEntry.objects.count() == 1


def test_csv_page_imports_and_reports_bad_rows(web_for, alice, mine):
    client = web_for(alice)
    good = b"date,minutes,category\n2026-03-01,30,theory\n"
    response = client.post(
        reverse("journal:csv"), {"enrollment": mine.pk, "file": SimpleUploadedFile("s.csv", good)}
    )
    assert response.status_code == 302 and StudySession.objects.count() == 1
    bad = b"date,minutes,category\n2026-03-02,30,theory\n2026-03-03,30,nap\n"
    response = client.post(
        reverse("journal:csv"), {"enrollment": mine.pk, "file": SimpleUploadedFile("s.csv", bad)}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "row 3, column category" in html
    assert StudySession.objects.count() == 1


@pytest.mark.parametrize("count", [3, 120])
def test_the_session_list_page_query_count_is_pinned(
    web_for, alice, mine, django_assert_num_queries, count
):
    StudySession.objects.bulk_create(
        StudySession(
            enrollment=mine,
            date=dt.date(2026, 3, 1),
            minutes=10,
            category="theory",
            fingerprint="x",
        )
        for _ in range(count)
    )
    client = web_for(alice)
    client.get(reverse("journal:sessions"))  # warm the session/auth caches
    # session, user, enrollment, count, page of sessions (with practice joined)
    with django_assert_num_queries(5):
        response = client.get(reverse("journal:sessions"))
    rows = re.findall(r"<tr>\s*<td[^>]*><time", response.content.decode())
    assert len(rows) == min(count, 50)


@pytest.mark.parametrize("weeks", [1, 40])
def test_the_week_page_query_count_is_pinned(
    web_for, alice, mine, django_assert_num_queries, weeks
):
    StudySession.objects.bulk_create(
        StudySession(
            enrollment=mine,
            date=dt.date(2026, 3, 20) - dt.timedelta(days=n),
            minutes=10,
            category="theory",
            fingerprint="x",
        )
        for n in range(weeks * 7)
    )
    client = web_for(alice)
    # session, user, enrollment, the review's four, the chart's two
    with django_assert_num_queries(9):
        assert client.get(reverse("journal:week")).status_code == 200


@pytest.mark.parametrize("who", ["bob", "staff"])
def test_posting_into_another_users_enrollment_is_404(web_for, data, who, request):
    client = web_for(request.getfixturevalue(who))
    for name, body in [
        ("journal:session_add", {"line": "30 theory"}),
        ("journal:session_add", {"minutes": 30, "category": "theory"}),
        (
            "journal:practice",
            {
                "platform": "other",
                "title": "x",
                "difficulty": "easy",
                "outcome": "solved",
                "minutes": 0,
            },
        ),
        ("journal:entry_new", {"title": "x"}),
        (
            "journal:csv",
            {"file": SimpleUploadedFile("s.csv", b"date,minutes,category\n2026-03-01,30,theory\n")},
        ),
    ]:
        response = client.post(reverse(name), {"enrollment": data["e"], **body})
        assert response.status_code == 404, name
    assert StudySession.objects.count() == 1
    assert PracticeProblem.objects.count() == 1
    assert JournalEntry.objects.count() == 1


def test_anonymous_posts_are_sent_to_login(web_for, data):
    response = web_for(None).post(
        reverse("journal:session_add"), {"enrollment": data["e"], "line": "30 theory"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert StudySession.objects.count() == 1
