"""Forms of the "Your data" page."""

from __future__ import annotations

from django import forms

ARCHIVE_MAX_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    archive = forms.FileField(label="Archive file", help_text="The .json file an export gave you.")

    def clean_archive(self) -> object:
        upload = self.cleaned_data["archive"]
        if upload.size > ARCHIVE_MAX_BYTES:
            raise forms.ValidationError("is larger than 50 MB; no levelup archive is that big")
        return upload


class DeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label="I understand that this deletes everything, for good")
