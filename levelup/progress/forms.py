"""Forms of the progress pages. They parse input; services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms

from levelup.accounts.services import time_zone_names
from levelup.lib.dates import ReasonedDateField
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


TARGET_MONTH_CHOICES = [("", "the roadmap's own pace")] + [
    (months, f"{months} months") for months in (6, 9, 12, 15, 18, 21, 24, 30, 36, 48)
]


class EnrollmentForm(forms.Form):
    start_date = ReasonedDateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A past date is fine if you have already started.",
    )
    weekly_hours = forms.DecimalField(
        min_value=1, max_value=40, decimal_places=1, help_text="Between 1 and 40 hours a week."
    )
    study_days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    target_months = forms.TypedChoiceField(
        label="Aim to finish in",
        choices=TARGET_MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Months from your start date. The roadmap's own pace is its duration.",
    )
    target_finish = ReasonedDateField(
        label="…or by this date",
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text="Leave both empty to aim at the roadmap's own end.",
    )
    time_zone = forms.ChoiceField(
        required=False,
        help_text="Your weeks, streaks and calendar follow it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in time_zone_names()]
        if not self.is_bound and self.initial.get("time_zone") in (None, "", "UTC"):
            # app.js selects the browser's zone while the learner has not chosen one.
            field.widget.attrs["data-browser-zone"] = ""

    def clean_time_zone(self) -> str | None:
        # Empty keeps the learner's zone as it is.
        return str(self.cleaned_data.get("time_zone") or "") or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target_months") and data.get("target_finish"):
            self.add_error("target_finish", "Give either a number of months or a date, not both.")
        return data


class PauseForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)
    start_date = ReasonedDateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    end_date = ReasonedDateField(
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
