"""The admin for accounts: users (staff create accounts here when registration is
closed) and invitations. Its sign-in shares the sign-in page's lockout."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from levelup.accounts import services
from levelup.accounts.forms import ThrottledAdminLoginForm
from levelup.accounts.models import SignupInvite, User

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


@admin.register(SignupInvite)
class SignupInviteAdmin(admin.ModelAdmin):
    """Invitations are made on the Invitations page or with `levelup invite create`, where
    the link can be shown once; here they can be looked at and revoked."""

    list_display = ("pk", "note", "created_by", "created_at", "expires_at", "state", "used_by")
    readonly_fields = (
        "code_hash",
        "note",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "used_by",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected invitations")
    def revoke(self, request: HttpRequest, queryset: QuerySet[SignupInvite]) -> None:
        for invite_id in queryset.values_list("pk", flat=True):
            services.signup_invite_revoke(invite_id=invite_id)
