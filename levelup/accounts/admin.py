"""The admin for accounts: users (staff create accounts here when registration is
closed). Its sign-in shares the sign-in page's lockout. Invitations are not here: the
Invitations page and `levelup invite create` show the one-time link, the admin could not."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from levelup.accounts.forms import ThrottledAdminLoginForm
from levelup.accounts.models import User

admin.site.login_form = ThrottledAdminLoginForm


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class UserChangeAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class LevelupUserAdmin(UserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("levelup", {"fields": ("display_name", "time_zone", "week_start")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
