"""Create forms are safe against refresh and the back button: one-time form tokens."""

from __future__ import annotations

import re
from typing import Any

from levelup.accounts.models import FormSubmission
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession


def _token(client: Any, url: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode())
    assert match is not None, f"no one-time token on {url}"
    return match.group(1)


def test_an_entry_sent_twice_is_saved_once_and_the_repeat_goes_to_it(
    web_for: Any, alice: Any, mine: Any
) -> None:
    client = web_for(alice)
    token = _token(client, f"/journal/entries/new/?enrollment={mine.pk}")
    data = {"enrollment": mine.pk, "title": "What I learned", "body": "x", "form_token": token}
    first = client.post("/journal/entries/new/", data)
    second = client.post("/journal/entries/new/", data, follow=True)
    assert JournalEntry.objects.count() == 1
    entry = JournalEntry.objects.get()
    assert first["Location"] == f"/journal/entries/{entry.pk}/"
    assert second.redirect_chain[-1][0] == f"/journal/entries/{entry.pk}/"
    assert "already sent" in second.content.decode()


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(
    web_for: Any, alice: Any, mine: Any
) -> None:
    client = web_for(alice)
    token = _token(client, f"/journal/practice/?enrollment={mine.pk}")
    data = {
        "enrollment": mine.pk,
        "platform": "leetcode",
        "title": "Two sum",
        "difficulty": "easy",
        "outcome": "solved",
        "minutes": 20,
        "item_key": "topic:nothing-like-this",
        "form_token": token,
    }
    assert client.post("/journal/practice/", data).status_code == 422
    assert not FormSubmission.objects.exists()
    data["item_key"] = ""
    assert client.post("/journal/practice/", data).status_code == 302
    assert client.post("/journal/practice/", data).status_code == 302
    assert PracticeProblem.objects.count() == 1


def test_quick_add_and_the_session_form_log_once_per_token(
    web_for: Any, alice: Any, mine: Any
) -> None:
    client = web_for(alice)
    token = _token(client, f"/journal/sessions/?enrollment={mine.pk}")
    line = {"enrollment": mine.pk, "line": "45m theory", "form_token": token}
    for _ in range(2):
        assert client.post("/journal/sessions/add/", line).status_code == 302
    form = {
        "enrollment": mine.pk,
        "minutes": 30,
        "category": "review",
        "form_token": _token(client, f"/journal/sessions/?enrollment={mine.pk}"),
    }
    for _ in range(2):
        assert client.post("/journal/sessions/add/", form).status_code == 302
    assert sorted(StudySession.objects.values_list("minutes", flat=True)) == [30, 45]


def test_a_token_is_per_user(web_for: Any, alice: Any, bob: Any, mine: Any, enroll: Any) -> None:
    theirs = enroll(bob)
    token = _token(web_for(alice), f"/journal/sessions/?enrollment={mine.pk}")
    web_for(alice).post(
        "/journal/sessions/add/", {"enrollment": mine.pk, "line": "45m theory", "form_token": token}
    )
    response = web_for(bob).post(
        "/journal/sessions/add/",
        {"enrollment": theirs.pk, "line": "10m theory", "form_token": token},
    )
    assert response.status_code == 302
    assert StudySession.objects.filter(enrollment=theirs).count() == 1
