"""Account pages: sign up, sign in and out, password, profile, API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from levelup.accounts import selectors, services, throttle, tokens
from levelup.accounts.forms import (
    InviteCreateForm,
    ProfileForm,
    SignupForm,
    ThrottledLoginForm,
    ThrottledPasswordChangeForm,
    ThrottledPasswordResetForm,
    TokenCreateForm,
)
from levelup.accounts.formtokens import REPEATED_MESSAGE, form_submit_once, form_token_of
from levelup.accounts.models import User
from levelup.lib.errors import ApplicationError, NotFound
from levelup.lib.http import post_only

_NEW_TOKEN = "levelup:new-token"


def dashboard_url() -> str:
    """Where a learner lands after signing in or up."""
    try:
        return reverse("dashboard:home")
    except NoReverseMatch:
        # The dashboard lives in the progress app; until it is routed the
        # agreed path is still the right place to send people.
        return "/dashboard/"


def _apply_errors(form: Form, exc: ApplicationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's field errors next to the fields they name."""
    if not exc.errors:
        form.add_error(None, exc.message)
    for error in exc.errors:
        field = error.get("field", "")
        field = (aliases or {}).get(field, field)
        form.add_error(field if field in form.fields else None, error["message"])


@sensitive_post_parameters("password1", "password2")
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    """The public sign-up, as LEVELUP_REGISTRATION allows: open, with an invitation, or not
    at all. Open sign-ups are counted per client address (LEVELUP_SIGNUP_LIMIT an hour)."""
    if request.user.is_authenticated:
        return redirect(dashboard_url())
    mode = settings.REGISTRATION
    if mode == "closed":
        return render(request, "accounts/signup_closed.html", status=403)
    invite_needed = mode == "invite"
    form = SignupForm(
        _posted(request),
        invite_needed=invite_needed,
        initial={"invite": request.GET.get("invite", "")},
    )
    client = throttle.client_address(request)
    # Refusals as "cannot be used" always count (they are how one would probe for
    # accounts). Accounts made with an invitation do not: each needs its own one-time
    # code, which limits sign-ups better than an address shared by a classroom can.
    count_success = not invite_needed
    status = 200
    if request.method == "POST":
        lockout = throttle.signup_lockout(client=client)
        if lockout is not None:
            form.is_valid()
            form.add_error(None, lockout.message)
            status = 429
        elif form.is_valid():
            try:
                user = services.user_sign_up(
                    username=form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    time_zone=form.cleaned_data["time_zone"],
                    invite_code=form.cleaned_data.get("invite", ""),
                )
            except ApplicationError as exc:
                if exc.message == services.CANNOT_BE_USED:
                    throttle.signup_record(client=client)
                _apply_errors(form, exc, aliases={"password": "password1"})
            else:
                if count_success:
                    throttle.signup_record(client=client)
                # The password ran through validators and the hasher just now;
                # naming the backend skips authenticating it a second time.
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                return redirect(dashboard_url())
    context = {"form": form, "invite_needed": invite_needed}
    if status == 200:
        status = _status(request, form)
    return render(request, "accounts/signup.html", context, status=status)


def _posted(request: HttpRequest) -> Any:
    # `request.POST or None` would treat an empty submission as no submission.
    return request.POST if request.method == "POST" else None


def _status(request: HttpRequest, form: Form) -> int:
    # A form sent back with errors is a 422 so scripts and tests can tell.
    return 422 if request.method == "POST" and form.errors else 200


class SignInView(LoginView):
    """Django's login view with the throttled form."""

    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return dashboard_url()

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 422
        return response


@post_only(lambda request: reverse("home"))
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = ThrottledPasswordChangeForm(
        _user(request), _posted(request), client=throttle.client_address(request)
    )
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Keeps this session signed in; other sessions of the user end.
        update_session_auth_hash(request, user)
        messages.success(request, "Your password was changed.")
        return redirect("accounts:password")
    return render(request, "accounts/password.html", {"form": form}, status=_status(request, form))


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    initial = {
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "week_start": user.week_start,
    }
    form = ProfileForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=_status(request, form))


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@sensitive_post_parameters("password")
@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens and the form that creates one; the new secret is shown once."""
    user = _user(request)
    form = TokenCreateForm(_posted(request), user=user, client=throttle.client_address(request))
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]

        def create() -> str:
            issued = tokens.api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                can_write=form.cleaned_data["access"] == "write",
                expires_at=timezone.now() + timedelta(days=days) if days else None,
            )
            # Post/redirect/get: the secret waits in the session for the one GET that
            # shows it, so a refresh never sends the form again.
            request.session[_NEW_TOKEN] = {"id": issued.token.pk, "secret": issued.secret}
            return reverse("accounts:token-created")

        try:
            outcome = form_submit_once(user=user, token=form_token_of(request), submit=create)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            if outcome.repeated:
                messages.info(request, REPEATED_MESSAGE)
            return HttpResponseRedirect(outcome.location or reverse("accounts:tokens"))
    context = {"form": form, "tokens": selectors.api_tokens_of(user=user), "now": timezone.now()}
    return render(request, "accounts/tokens.html", context, status=_status(request, form))


@never_cache
@login_required
def token_created(request: HttpRequest) -> HttpResponse:
    """The new token's secret, shown once: a refresh finds it gone, and no second token."""
    new = request.session.pop(_NEW_TOKEN, None)
    token = (
        selectors.api_tokens_of(user=_user(request)).filter(pk=new["id"]).first() if new else None
    )
    if new is None or token is None:
        return render(request, "accounts/token_created.html", {"issued": None})
    issued = tokens.IssuedToken(token=token, secret=new["secret"])
    return render(request, "accounts/token_created.html", {"issued": issued})


@login_required
@post_only(lambda request, token_id: reverse("accounts:tokens"))
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.api_token_revoke(user=_user(request), token_id=token_id)
    except NotFound:
        raise Http404("no such token") from None
    messages.success(request, f"Token “{token.name}” was revoked; it no longer works.")
    return HttpResponseRedirect(reverse("accounts:tokens"))


# --- password reset by e-mail ------------------------------------------------------


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer never says whether an account has the address."""

    form_class = ThrottledPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["client"] = throttle.client_address(self.request)
        return kwargs

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        throttled = any(e.code == "throttled" for e in form.non_field_errors().as_data())
        response.status_code = 429 if throttled else 422
        return response


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["timeout"] = _duration(settings.PASSWORD_RESET_TIMEOUT)
        return context


def _duration(seconds: int) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the link; it works once and for PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever guessed at this account's password locked it; its owner has just
        # proved who they are, so the lock must not keep them out.
        throttle.login_lock_clear(username=form.user.get_username())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"


# --- invitations (staff) -----------------------------------------------------------

_NEW_INVITE = "levelup:new-invite"


def _staff(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_staff:
        # Not a page that exists for learners.
        raise Http404("no such page")
    return user


@never_cache
@login_required
def invite_list(request: HttpRequest) -> HttpResponse:
    """Invitations, newest first, and the form that makes one; a new link is shown once."""
    staff = _staff(request)
    form = InviteCreateForm(_posted(request), initial={"days": settings.INVITE_DAYS})
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.signup_invite_create(
                created_by=staff, note=form.cleaned_data["note"], days=form.cleaned_data["days"]
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            request.session[_NEW_INVITE] = issued.code
            return HttpResponseRedirect(reverse("accounts:invites"))
    code = request.session.pop(_NEW_INVITE, None) if request.method == "GET" else None
    link = request.build_absolute_uri(f"{reverse('accounts:signup')}?invite={code}") if code else ""
    context = {
        "form": form,
        "invites": selectors.signup_invites(),
        "new_link": link,
        "registration": settings.REGISTRATION,
    }
    return render(request, "accounts/invites.html", context, status=_status(request, form))


@login_required
@post_only(lambda request, invite_id: reverse("accounts:invites"))
def invite_revoke(request: HttpRequest, invite_id: int) -> HttpResponse:
    _staff(request)
    try:
        services.signup_invite_revoke(invite_id=invite_id)
    except NotFound:
        raise Http404("no such invitation") from None
    messages.success(request, "The invitation was revoked; its link no longer works.")
    return HttpResponseRedirect(reverse("accounts:invites"))
