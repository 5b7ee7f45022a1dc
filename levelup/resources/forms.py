"""Forms of the reading-list and certification pages; services do the validation."""

from __future__ import annotations

from typing import Any

from django import forms

from levelup.lib.errors import ApplicationError
from levelup.resources.models import CertificationStatus, ReadingKind, ReadingStatus

RATINGS = [("", "No rating")] + [(str(n), f"{n} of 5") for n in range(1, 6)]


class ReadingItemForm(forms.Form):
    """Status, rating and note of an item on the list."""

    status = forms.ChoiceField(choices=ReadingStatus.choices)
    rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, empty_value=None, required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReadingAddForm(forms.Form):
    """The learner's own addition to the list."""

    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ReadingKind.choices, initial=ReadingKind.BOOK)
    authors = forms.CharField(max_length=300, required=False)
    url = forms.CharField(label="Link", max_length=2000, required=False)


DATE = forms.DateInput(attrs={"type": "date"})


class CertificationForm(forms.Form):
    """Where the learner is with a certification."""

    status = forms.ChoiceField(choices=CertificationStatus.choices)
    exam_date = forms.DateField(label="Exam date", widget=DATE, required=False)
    passed_on = forms.DateField(label="Passed on", widget=DATE, required=False)
    credential_url = forms.CharField(label="Credential URL", max_length=2000, required=False)
    expires_on = forms.DateField(label="Expires on", widget=DATE, required=False)


class CertificationAddForm(forms.Form):
    title = forms.CharField(max_length=200)
    issuer = forms.CharField(max_length=200, required=False)


def apply_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's field errors next to the fields they name."""
    if not exc.errors:
        form.add_error(None, exc.message)
    for error in exc.errors:
        field = error.get("field", "")
        form.add_error(field if field in form.fields else None, error["message"])


def cleaned(form: forms.Form) -> dict[str, Any]:
    return dict(form.cleaned_data)
