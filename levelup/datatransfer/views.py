"""The account's "Your data" page: download everything, import an archive, delete."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from levelup.accounts.models import User
from levelup.accounts.throttle import client_address
from levelup.datatransfer import archive
from levelup.datatransfer.api import export_filename
from levelup.datatransfer.forms import DeleteForm, ImportForm
from levelup.lib.errors import ApplicationError


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _page(
    request: HttpRequest,
    *,
    import_form: ImportForm | None = None,
    delete_form: DeleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    context = {
        "import_form": import_form or ImportForm(),
        "delete_form": delete_form or DeleteForm(),
        "counts": archive.owned_row_counts(user=user),
        "empty": archive.account_is_empty(user),
    }
    return render(request, "datatransfer/data.html", context, status=status)


@never_cache
@login_required
@require_GET
def data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    response = JsonResponse(
        archive.account_export(user=user), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(user)}"'
    return response


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            content = json.loads(form.cleaned_data["archive"].read())
        except (ValueError, UnicodeDecodeError) as exc:
            form.add_error("archive", f"is not JSON ({exc})")
        else:
            try:
                counts = archive.account_import(user=_user(request), archive=content)
            except ApplicationError as exc:
                form.add_error("archive", exc.message)
            else:
                summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
                messages.success(request, f"Imported: {summary or 'nothing'}.")
                return HttpResponseRedirect(reverse("datatransfer:data"))
    return _page(request, import_form=form, status=422)


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteForm(request.POST)
    if form.is_valid():
        try:
            archive.account_delete(
                user=_user(request),
                password=form.cleaned_data["password"],
                client=client_address(request),
            )
        except ApplicationError as exc:
            form.add_error("password", "is not your password" if exc.status == 403 else exc.message)
        else:
            logout(request)
            messages.success(request, "Your account and everything in it were deleted.")
            return HttpResponseRedirect(reverse("home"))
    return _page(request, delete_form=form, status=422)
