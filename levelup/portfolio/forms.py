"""The portfolio settings form."""

from __future__ import annotations

from django import forms

from levelup.portfolio.models import SECTION_LABELS


class PortfolioForm(forms.Form):
    enabled = forms.BooleanField(
        required=False,
        label="Make my portfolio public",
        help_text="Anyone with the address can see the sections you tick below.",
    )
    headline = forms.CharField(
        max_length=200, required=False, help_text="One line about you, shown under your name."
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in SECTION_LABELS.items():
            self.fields[f"section_{name}"] = forms.BooleanField(required=False, label=label)

    def sections(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data[f"section_{name}"]) for name in SECTION_LABELS}
