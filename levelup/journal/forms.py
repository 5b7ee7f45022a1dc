"""Forms of the journal pages. They only parse types; the services decide what is valid,
and their field errors are put back on the form by `apply_errors`."""

from __future__ import annotations

from typing import Any

from django import forms

from levelup.journal import csvio
from levelup.journal.models import Difficulty, Outcome, PracticePlatform
from levelup.lib.dates import ReasonedDateField
from levelup.lib.errors import ApplicationError

# Item inputs suggest the roadmap's item keys from a <datalist> on the page.
ITEM_LIST = {"list": "journal-items", "autocomplete": "off"}


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


def apply_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Attach a service's field errors to the form fields they name."""
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for error in exc.errors:
        field = error.get("field", "")
        form.add_error(field if field in form.fields else None, error["message"])


class QuickAddForm(forms.Form):
    line = forms.CharField(
        label="Log study time",
        max_length=2000,
        help_text="e.g. “1h30 theory topic:sql-fundamentals yesterday read about indexes”",
    )


class SessionForm(forms.Form):
    date = ReasonedDateField(
        required=False, widget=DateInput, help_text="Your local date; empty means today."
    )
    start_time = forms.TimeField(required=False, widget=TimeInput, label="Start time")
    minutes = forms.IntegerField(help_text="1 to 960.")
    category = forms.CharField(widget=forms.Select)
    item_key = forms.CharField(
        required=False,
        label="Item",
        help_text="Optional: a key such as topic:sql-fundamentals, or an item's title.",
        widget=forms.TextInput(attrs=ITEM_LIST),
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = categories


class PracticeForm(forms.Form):
    date = ReasonedDateField(required=False, widget=DateInput, help_text="Empty means today.")
    platform = forms.ChoiceField(choices=PracticePlatform.choices)
    title = forms.CharField(max_length=200)
    url = forms.CharField(required=False, label="URL", max_length=2000)
    difficulty = forms.ChoiceField(choices=Difficulty.choices)
    outcome = forms.ChoiceField(choices=Outcome.choices)
    item_key = forms.CharField(
        required=False,
        label="Item",
        help_text="Optional: a key such as topic:data-structures-algorithms, or a title.",
        widget=forms.TextInput(attrs=ITEM_LIST),
    )
    minutes = forms.IntegerField(
        min_value=0, initial=0, help_text="Counted once, as a study session in the topic category."
    )


class EntryForm(forms.Form):
    date = ReasonedDateField(required=False, widget=DateInput, help_text="Empty means today.")
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 10}), help_text="Markdown."
    )
    tags = forms.CharField(required=False, help_text="Comma-separated, e.g. sql, indexes.")
    item_keys = forms.CharField(
        required=False,
        label="Items",
        help_text="Comma-separated keys or titles, e.g. topic:advanced-nodejs/event-loop.",
    )
    public = forms.BooleanField(
        required=False,
        label="Show on my public portfolio",
        help_text="Only when your portfolio and its journal section are on.",
    )

    def split(self, name: str) -> list[str]:
        raw = self.cleaned_data.get(name) or ""
        return [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: date,start_time,minutes,category,item_key,note. At most 5 MB.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Checked on the size the upload declared, before its content is read.
        if upload.size > csvio.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {csvio.MAX_BYTES // (1024 * 1024)} MB "
                f"({upload.size:,} bytes); split it into smaller files."
            )
        return upload
