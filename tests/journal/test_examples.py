"""The product's own examples work: every item key shown in a help text, placeholder,
template or CLI help exists in the built-in roadmap, and every quick-add example is
accepted. Mistakes a learner makes are caught with the reason."""

from __future__ import annotations

import datetime as dt
import html
import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms

import levelup
from levelup.journal.models import StudySession
from levelup.progress.services import enrollment_create

KEY = re.compile(r"\b(?:topic|project|checkpoint):[a-z0-9][a-z0-9/-]*[a-z0-9]")
PACKAGE = Path(levelup.__file__).resolve().parent
FORM_MODULES = [
    "levelup.accounts.forms",
    "levelup.journal.forms",
    "levelup.planning.forms",
    "levelup.progress.forms",
]


def _help_texts() -> list[tuple[str, str]]:
    texts = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for attribute in vars(module).values():
            if isinstance(attribute, type) and issubclass(attribute, forms.BaseForm):
                for field_name, field in attribute.base_fields.items():
                    if field.help_text:
                        texts.append((f"{attribute.__name__}.{field_name}", str(field.help_text)))
                    placeholder = field.widget.attrs.get("placeholder")
                    if placeholder:
                        texts.append((f"{attribute.__name__}.{field_name}", placeholder))
    return texts


def _shown_keys() -> list[tuple[str, str]]:
    found = [(where, key) for where, text in _help_texts() for key in KEY.findall(text)]
    for template in (PACKAGE / "templates").rglob("*.html"):
        text = template.read_text()
        found += [(str(template.relative_to(PACKAGE)), key) for key in KEY.findall(text)]
    for module in ("levelup/cli/main.py", "levelup/cli/learner.py"):
        text = (PACKAGE.parent / module).read_text()
        found += [(module, key) for key in KEY.findall(text)]
    return found


@pytest.fixture
def enrolled(alice: Any, builtin: Any) -> Any:
    roadmap, _ = builtin
    start = alice.local_today() - dt.timedelta(days=30)
    return enrollment_create(user=alice, roadmap_slug=roadmap.slug, start_date=start)


def test_every_item_key_the_product_shows_exists_in_the_builtin_roadmap(builtin: Any) -> None:
    _, document = builtin
    shown = _shown_keys()
    assert len(shown) >= 4
    missing = [(where, key) for where, key in shown if key not in document.items]
    assert missing == []


def _quick_add_examples(client: Any, enrollment: Any) -> list[str]:
    from levelup.journal.forms import QuickAddForm

    page = client.get(f"/journal/sessions/?enrollment={enrollment.pk}").content.decode()
    examples = re.findall(r'name="line"[^>]*placeholder="([^"]+)"', page)
    examples += re.findall(r"“([^”]+)”", str(QuickAddForm.base_fields["line"].help_text))
    return [html.unescape(example) for example in examples]


def test_every_quick_add_example_is_accepted(web_for: Any, alice: Any, enrolled: Any) -> None:
    client = web_for(alice)
    examples = _quick_add_examples(client, enrolled)
    assert len(examples) >= 2
    for example in examples:
        response = client.post(
            "/journal/sessions/add/", {"enrollment": enrolled.pk, "line": example}
        )
        assert response.status_code == 302, (example, response.content.decode()[:500])
    assert StudySession.objects.filter(enrollment=enrolled).count() == len(examples)
    assert set(
        StudySession.objects.filter(enrollment=enrolled).values_list("item_key", flat=True)
    ) == {"topic:sql-fundamentals"}


def _quick_add(client: Any, enrollment: Any, line: str) -> Any:
    return client.post("/journal/sessions/add/", {"enrollment": enrollment.pk, "line": line})


def test_the_words_of_a_category_title_are_accepted(
    web_for: Any, alice: Any, enrolled: Any
) -> None:
    client = web_for(alice)
    for line in ("30m community", "20m code review", "1h learning", "45m practical"):
        assert _quick_add(client, enrolled, line).status_code == 302, line
    categories = list(
        StudySession.objects.filter(enrollment=enrolled)
        .order_by("pk")
        .values_list("category", flat=True)
    )
    assert categories == ["review", "review", "theory", "projects"]


def test_an_impossible_date_is_refused_with_the_reason(
    web_for: Any, alice: Any, enrolled: Any
) -> None:
    response = _quick_add(web_for(alice), enrolled, "1h theory 2026-02-30")
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "2026-02-30 is not a date: February 2026 has 28 days" in page
    assert StudySession.objects.count() == 0


def test_the_session_form_gives_the_reason_for_an_impossible_date(
    web_for: Any, alice: Any, enrolled: Any
) -> None:
    response = web_for(alice).post(
        "/journal/sessions/add/",
        {"enrollment": enrolled.pk, "date": "2027-13-01", "minutes": 30, "category": "theory"},
    )
    assert response.status_code == 422
    assert "there is no month 13" in html.unescape(response.content.decode())
    assert StudySession.objects.count() == 0


def test_a_session_before_the_enrollment_or_in_the_future_is_refused(
    web_for: Any, alice: Any, enrolled: Any
) -> None:
    client = web_for(alice)
    for day in ("1999-05-01", (alice.local_today() + dt.timedelta(days=1)).isoformat()):
        response = _quick_add(client, enrolled, f"1h theory {day}")
        assert response.status_code == 422, day
    page = html.unescape(response.content.decode())
    assert "is in the future" in page
    assert StudySession.objects.count() == 0


def test_an_item_title_or_partial_key_is_accepted_and_a_typo_gets_suggestions(
    web_for: Any, alice: Any, enrolled: Any
) -> None:
    client = web_for(alice)
    response = client.post(
        "/journal/sessions/add/",
        {
            "enrollment": enrolled.pk,
            "minutes": 30,
            "category": "theory",
            "item_key": "Event loop deep dive",
        },
    )
    assert response.status_code == 302
    response = _quick_add(client, enrolled, "1h theory topic:advanced-nodjs")
    assert response.status_code == 422
    assert "did you mean topic:advanced-nodejs" in html.unescape(response.content.decode())
    assert _quick_add(client, enrolled, "1h theory topic:sql").status_code == 302
    keys = list(StudySession.objects.order_by("pk").values_list("item_key", flat=True))
    assert keys == ["topic:advanced-nodejs/event-loop", "topic:sql-fundamentals"]
