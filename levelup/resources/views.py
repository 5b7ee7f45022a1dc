"""Pages: the reading list (/reading/) and certifications (/certifications/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from levelup.accounts.models import User
from levelup.lib.errors import ApplicationError, NotFound
from levelup.resources import selectors, services
from levelup.resources.forms import (
    CertificationAddForm,
    CertificationForm,
    ReadingAddForm,
    ReadingItemForm,
    apply_errors,
)
from levelup.resources.models import Certification, ReadingItem


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _reading_page(
    request: HttpRequest,
    *,
    add_form: ReadingAddForm | None = None,
    failed: tuple[int, ReadingItemForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    rows = []
    for item in selectors.reading_list(user=user):
        if failed and failed[0] == item.pk:
            form = failed[1]
        else:
            form = ReadingItemForm(
                initial={"status": item.status, "rating": item.rating or "", "note": item.note},
                prefix=f"item-{item.pk}",
            )
        rows.append((item, form))
    context = {
        "rows": rows,
        "suggestions": selectors.reading_suggestions(user=user),
        "add_form": add_form or ReadingAddForm(),
    }
    return render(request, "resources/reading.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reading(request: HttpRequest) -> HttpResponse:
    """The reading list; POST adds a suggestion (`source_key`) or the learner's own item."""
    if request.method == "GET":
        return _reading_page(request)
    user = _user(request)
    source_key = request.POST.get("source_key", "")
    if source_key:
        try:
            item = services.reading_item_add(user=user, source_key=source_key)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("resources:reading"))
        messages.success(request, f"“{item.title}” is on your reading list.")
        return HttpResponseRedirect(reverse("resources:reading") + f"#item-{item.pk}")
    form = ReadingAddForm(request.POST)
    if form.is_valid():
        try:
            item = services.reading_item_add(user=user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"“{item.title}” is on your reading list.")
            return HttpResponseRedirect(reverse("resources:reading") + f"#item-{item.pk}")
    return _reading_page(request, add_form=form, status=422)


def _reading_item(request: HttpRequest, item_id: int) -> ReadingItem:
    try:
        return selectors.reading_item_get_for_user(user=_user(request), item_id=item_id)
    except NotFound:
        raise Http404("no such reading-list item") from None


@login_required
@require_POST
def reading_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """Save an item's status, rating and note, or (`delete`) take it off the list."""
    item = _reading_item(request, item_id)
    if "delete" in request.POST:
        services.reading_item_delete(item=item)
        messages.success(request, f"“{item.title}” was taken off your list.")
        return HttpResponseRedirect(reverse("resources:reading"))
    form = ReadingItemForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            services.reading_item_update(item=item, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"“{item.title}”: {item.get_status_display().lower()}.")
            return HttpResponseRedirect(reverse("resources:reading") + f"#item-{item.pk}")
    return _reading_page(request, failed=(item.pk, form), status=422)


def _certifications_page(
    request: HttpRequest,
    *,
    add_form: CertificationAddForm | None = None,
    failed: tuple[int, CertificationForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    rows: list[tuple[Certification, Any]] = []
    for cert in selectors.certification_list(user=user):
        if failed and failed[0] == cert.pk:
            form = failed[1]
        else:
            form = CertificationForm(
                initial={
                    "status": cert.status,
                    "exam_date": cert.exam_date,
                    "passed_on": cert.passed_on,
                    "credential_url": cert.credential_url,
                    "expires_on": cert.expires_on,
                },
                prefix=f"cert-{cert.pk}",
            )
        rows.append((cert, form))
    context = {
        "rows": rows,
        "suggestions": selectors.certification_suggestions(user=user),
        "add_form": add_form or CertificationAddForm(),
    }
    return render(request, "resources/certifications.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def certifications(request: HttpRequest) -> HttpResponse:
    """Certifications; POST tracks a suggestion (`source_key`) or the learner's own."""
    if request.method == "GET":
        return _certifications_page(request)
    user = _user(request)
    source_key = request.POST.get("source_key", "")
    if source_key:
        try:
            cert = services.certification_add(user=user, source_key=source_key)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("resources:certifications"))
        messages.success(request, f"Tracking “{cert.title}”.")
        return HttpResponseRedirect(reverse("resources:certifications") + f"#cert-{cert.pk}")
    form = CertificationAddForm(request.POST)
    if form.is_valid():
        try:
            cert = services.certification_add(user=user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Tracking “{cert.title}”.")
            return HttpResponseRedirect(reverse("resources:certifications") + f"#cert-{cert.pk}")
    return _certifications_page(request, add_form=form, status=422)


@login_required
@require_POST
def certification(request: HttpRequest, certification_id: int) -> HttpResponse:
    """Save a certification's status and dates, or (`delete`) stop tracking it."""
    try:
        cert = selectors.certification_get_for_user(
            user=_user(request), certification_id=certification_id
        )
    except NotFound:
        raise Http404("no such certification") from None
    if "delete" in request.POST:
        services.certification_delete(certification=cert)
        messages.success(request, f"Stopped tracking “{cert.title}”.")
        return HttpResponseRedirect(reverse("resources:certifications"))
    form = CertificationForm(request.POST, prefix=f"cert-{cert.pk}")
    if form.is_valid():
        try:
            services.certification_update(certification=cert, **form.cleaned_data)
        except ApplicationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"“{cert.title}”: {cert.get_status_display().lower()}.")
            return HttpResponseRedirect(reverse("resources:certifications") + f"#cert-{cert.pk}")
    return _certifications_page(request, failed=(cert.pk, form), status=422)
