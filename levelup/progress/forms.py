"""Forms of the progress pages. They parse input; services validate and write."""

from __future__ import annotations

from django import forms

from levelup.progress.figures import RATING_LABELS
from levelup.progress.models import ItemStatus

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class EnrollmentForm(forms.Form):
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A past date is fine if you have already started.",
    )
    weekly_hours = forms.DecimalField(
        min_value=1, max_value=40, decimal_places=1, help_text="Between 1 and 40 hours a week."
    )
    study_days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )


class PauseForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    end_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text="Leave empty to pause until you resume.",
    )


class ItemForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices, required=False)
    rating = forms.TypedChoiceField(
        choices=[
            ("", "Not rated"),
            *[(i, f"{i} – {label}") for i, label in enumerate(RATING_LABELS)],
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(forms.Form):
    title = forms.CharField(max_length=200)
    url = forms.CharField(max_length=2000, required=False, label="Link")
    repository_url = forms.CharField(max_length=2000, required=False, label="Repository URL")
    writeup = forms.CharField(widget=forms.Textarea, required=False, label="Write-up")
