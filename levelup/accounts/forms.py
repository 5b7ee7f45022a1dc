"""Forms of the account pages. They parse input; the writes are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from levelup.accounts import throttle
from levelup.accounts.models import User, WeekStart
from levelup.accounts.services import (
    DISPLAY_NAME_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    is_valid_time_zone,
    time_zone_names,
)

TOKEN_MAX_DAYS = 3650


class SignupForm(forms.Form):
    """Username, e-mail and the password twice. Uniqueness and strength are the service's job."""

    username = forms.CharField(
        max_length=USERNAME_MAX_LENGTH,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not entirely numeric, not a common password.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    time_zone = forms.ChoiceField(
        initial="UTC",
        required=False,
        help_text="Your weeks, streaks and calendar follow it; filled in from your browser.",
    )

    invite = forms.CharField(
        label="Invitation code",
        required=False,
        max_length=100,
        help_text="From the invitation link an administrator gave you.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, invite_needed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in time_zone_names()]
        if not self.is_bound:
            # app.js selects the browser's zone; a re-shown form keeps what was sent.
            field.widget.attrs["data-browser-zone"] = ""
        if not invite_needed:
            del self.fields["invite"]

    def clean_time_zone(self) -> str:
        return str(self.cleaned_data.get("time_zone") or "UTC")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ; type the same password twice.")
        return data


class ThrottledLoginForm(AuthenticationForm):
    """Django's sign-in form, refusing attempts while the account or client is locked out."""

    request: HttpRequest | None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        client = throttle.client_address(self.request) if self.request else "unknown"
        lockout = throttle.login_lockout(username=username, client=client)
        if lockout is not None:
            # Checked before the password so a locked account reveals nothing.
            raise ValidationError(lockout.message, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                throttle.login_failure_record(username=username, client=client)
            raise
        if self.get_user() is not None:
            throttle.login_success_record(username=username)
        return cleaned


class ThrottledAdminLoginForm(ThrottledLoginForm, AdminAuthenticationForm):
    """The admin's sign-in form (staff only), sharing the sign-in page's counters and locks:
    the throttle's clean() runs around Django's, which asks the admin form whether the
    account may use the admin."""


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change; the old password counts towards the sign-in lockout."""

    def __init__(self, user: Any, *args: Any, client: str, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.client = client

    def clean_old_password(self) -> str:
        lockout = throttle.login_lockout(username=self.user.username, client=self.client)
        if lockout is not None:
            raise ValidationError(lockout.message, code="throttled")
        try:
            return str(super().clean_old_password())
        except ValidationError:
            throttle.login_failure_record(username=self.user.username, client=self.client)
            raise


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset request, counted per e-mail address and per client.

    The address is counted whether or not an account has it, so a lockout says
    nothing about who has an account; below the limits the answer is always
    "if an account has this address, a link is on its way"."""

    def __init__(self, *args: Any, client: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = str(data.get("email") or "")
        if email:
            lockout = throttle.password_reset_lockout(email=email, client=self.client)
            if lockout is not None:
                raise ValidationError(lockout.message, code="throttled")
            throttle.password_reset_record(email=email, client=self.client)
        return data


class InviteCreateForm(forms.Form):
    """A new invitation: an optional note and how long it stays usable."""

    note = forms.CharField(
        max_length=100, required=False, help_text="Whom it is for, e.g. 'Ada, backend team'."
    )
    days = forms.IntegerField(
        min_value=1, max_value=365, label="Usable for (days)", help_text="1 to 365 days."
    )


class ProfileForm(forms.Form):
    """Display name, time zone and week start."""

    display_name = forms.CharField(
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text="Shown instead of your username. Leave empty to use the username.",
    )
    time_zone = forms.ChoiceField(
        help_text="Weeks, streaks and calendar dates follow this zone.",
    )
    week_start = forms.TypedChoiceField(
        choices=[
            (WeekStart.MONDAY, "Monday"),
            (WeekStart.SATURDAY, "Saturday"),
            (WeekStart.SUNDAY, "Sunday"),
        ],
        coerce=int,
        label="Week starts on",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in time_zone_names()]

    def clean_time_zone(self) -> str:
        value = str(self.cleaned_data["time_zone"])
        if not is_valid_time_zone(value):
            raise ValidationError(f"{value!r} is not a known time zone.")
        return value


class TokenCreateForm(forms.Form):
    """A new personal access token; the current password confirms it is really you."""

    ACCESS_CHOICES = [("read", "Read only"), ("write", "Read and write")]

    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'laptop CLI'.", label="Token name"
    )
    access = forms.ChoiceField(choices=ACCESS_CHOICES, initial="read", widget=forms.RadioSelect)
    expires_in_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        label="Expires after (days)",
        help_text="Leave empty for a token that does not expire.",
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Confirms that it is you creating the token.",
    )

    def __init__(self, *args: Any, user: User, client: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.client = client

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        # Re-authentication counts towards the sign-in throttle, or it would
        # be a way round it for someone holding a stolen session.
        lockout = throttle.login_lockout(username=self.user.username, client=self.client)
        if lockout is not None:
            raise ValidationError(lockout.message, code="throttled")
        if not self.user.check_password(password):
            throttle.login_failure_record(username=self.user.username, client=self.client)
            raise ValidationError("The password is not correct.", code="invalid_password")
        return password
