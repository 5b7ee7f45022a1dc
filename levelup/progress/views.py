"""Pages of the learner journey. Each view parses a form, calls a service or selector, renders.

Every page is for the signed-in learner only; another user's enrollment is 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from levelup.accounts.formtokens import REPEATED_MESSAGE, form_submit_once, form_token_of
from levelup.accounts.models import User
from levelup.lib.dates import date_display
from levelup.lib.errors import ApplicationError, NotFound
from levelup.lib.http import post_only
from levelup.progress import selectors, services, versions
from levelup.progress.figures import RATING_LABELS
from levelup.progress.forms import EnrollmentForm, EvidenceForm, ItemForm, PauseForm
from levelup.progress.models import Enrollment, EnrollmentStatus, Evidence
from levelup.progress.rendering import markdown_to_html
from levelup.progress.templatetags.progress_tags import status_label
from levelup.roadmaps.selectors import current_document, document_for


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _own(request: HttpRequest, enrollment_id: int) -> Enrollment:
    try:
        return selectors.enrollment_get(user=_user(request), enrollment_id=enrollment_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _add_errors(form: Any, exc: ApplicationError) -> None:
    """Put a service's field errors on the form, or the message at the top of it."""
    placed = False
    for error in exc.errors:
        field = error.get("field", "")
        if field in form.fields:
            form.add_error(field, error["message"])
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


# --- enrollment ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest, roadmap_slug: str) -> HttpResponse:
    """Join a roadmap: start date, weekly hours and study days."""
    user = _user(request)
    try:
        roadmap, document = current_document(roadmap_slug, viewer=_user(request))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    existing = selectors.open_enrollment(user=user, roadmap=roadmap)
    if existing is not None:
        messages.info(request, f"You are already enrolled in {roadmap.title}.")
        return redirect(f"{reverse('dashboard:home')}?enrollment={existing.pk}")
    if request.method == "POST":
        form = EnrollmentForm(request.POST)
        if form.is_valid():
            try:
                enrollment = services.enrollment_create(
                    user=user,
                    roadmap_slug=roadmap_slug,
                    start_date=form.cleaned_data["start_date"],
                    weekly_hours=form.cleaned_data["weekly_hours"],
                    study_days=form.cleaned_data["study_days"],
                    target_months=form.cleaned_data["target_months"],
                    target_finish=form.cleaned_data["target_finish"],
                    time_zone=form.cleaned_data["time_zone"],
                )
            except ApplicationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Welcome to {roadmap.title}! Start with the checklist.")
                return redirect("progress:onboarding", enrollment_id=enrollment.pk)
    else:
        form = EnrollmentForm(
            initial={
                "start_date": user.local_today(),
                "weekly_hours": services.default_weekly_hours(document),
                "study_days": [0, 1, 2, 3, 4, 5],
                "time_zone": user.time_zone,
            }
        )
    return render(
        request,
        "progress/enroll.html",
        {"form": form, "roadmap": roadmap, "document": document},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrollment_settings(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Weekly hours, study days, start date; pause, resume, archive."""
    enrollment = _own(request, enrollment_id)
    user = _user(request)
    form = EnrollmentForm(
        initial={
            "start_date": enrollment.start_date,
            "weekly_hours": enrollment.weekly_hours,
            "study_days": enrollment.study_days,
            "target_finish": enrollment.target_finish,
            "time_zone": user.time_zone,
        }
    )
    pause_form = PauseForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                form = EnrollmentForm(request.POST)
                if form.is_valid():
                    services.enrollment_update(enrollment=enrollment, **form.cleaned_data)
                    messages.success(request, "Settings saved.")
                    return redirect("progress:settings", enrollment_id=enrollment.pk)
            elif action == "pause":
                pause_form = PauseForm(request.POST)
                if pause_form.is_valid():
                    services.enrollment_pause(
                        enrollment=enrollment, actor=user, **pause_form.cleaned_data
                    )
                    messages.success(request, "Pause recorded.")
                    return redirect("progress:settings", enrollment_id=enrollment.pk)
            elif action == "resume":
                before = selectors.pause_state(enrollment)
                services.enrollment_resume(enrollment=enrollment, actor=user)
                if before.current is None and before.upcoming is not None:
                    messages.success(
                        request,
                        f"The pause from {date_display(before.upcoming.start_date)} is cancelled.",
                    )
                    return redirect("progress:settings", enrollment_id=enrollment.pk)
                messages.success(request, "Welcome back: the enrollment is active again.")
                return redirect("dashboard:home")
            elif action == "archive":
                services.enrollment_archive(enrollment=enrollment, actor=user)
                messages.success(request, "Enrollment archived. Its history is kept.")
                return redirect("dashboard:home")
        except ApplicationError as exc:
            _add_errors(pause_form if action == "pause" else form, exc)
    return render(
        request,
        "progress/settings.html",
        {
            "enrollment": enrollment,
            "form": form,
            "pause_form": pause_form,
            "pause_state": selectors.pause_state(enrollment),
            "archived": enrollment.status == EnrollmentStatus.ARCHIVED,
        },
    )


# --- onboarding ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The first-run checklist: the roadmap's prerequisites and how-to-use steps."""
    enrollment = _own(request, enrollment_id)
    if request.method == "POST":
        try:
            services.checklist_tick(
                enrollment=enrollment,
                key=request.POST.get("key", ""),
                ticked=request.POST.get("ticked") == "1",
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        return redirect("progress:onboarding", enrollment_id=enrollment.pk)
    steps = selectors.checklist_for(enrollment)
    groups: dict[str, list[dict[str, Any]]] = {}
    for step in steps:
        groups.setdefault(step["group"], []).append(step)
    return render(
        request,
        "progress/onboarding.html",
        {
            "enrollment": enrollment,
            "groups": groups,
            "done": sum(1 for s in steps if s["ticked"]),
            "total": len(steps),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The self-assessment, one phase per screen: every topic rated 0-4."""
    enrollment = _own(request, enrollment_id)
    phases = selectors.assessment_phases(enrollment)
    try:
        number = int(request.GET.get("phase", "1"))
    except ValueError:
        number = 1
    if not 1 <= number <= len(phases):
        raise Http404("no such phase")
    phase = phases[number - 1]
    error = ""
    if request.method == "POST":
        ratings: dict[str, int] = {}
        for topic in phase["topics"]:
            value = request.POST.get(f"rating:{topic['key']}", "")
            if value != "":
                try:
                    ratings[topic["key"]] = int(value)
                except ValueError:
                    ratings[topic["key"]] = -1  # refused by the service, naming the topic
        try:
            services.assessment_submit(enrollment=enrollment, actor=_user(request), ratings=ratings)
        except ApplicationError as exc:
            error = exc.message
        else:
            if number < len(phases):
                return redirect(
                    f"{reverse('progress:assessment', args=[enrollment.pk])}?phase={number + 1}"
                )
            messages.success(request, "Self-assessment saved. Topics rated 3 or 4 count as known.")
            return redirect("dashboard:home")
    return render(
        request,
        "progress/assessment.html",
        {
            "enrollment": enrollment,
            "phase": phase,
            "phases": phases,
            "number": number,
            "labels": list(enumerate(RATING_LABELS)),
            "error": error,
        },
    )


# --- items -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, enrollment_id: int, item_key: str) -> HttpResponse:
    """One item: status, rating, notes, evidence and history."""
    enrollment = _own(request, enrollment_id)
    try:
        detail = selectors.item_detail_for(enrollment=enrollment, item_key=item_key)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    state = detail["state"]
    form = ItemForm(
        initial={
            "status": state["status"],
            "rating": state["rating"],
            "notes": state["notes"],
            "version": state["version"],
        }
    )
    evidence_form = EvidenceForm()
    conflict = None
    if request.method == "POST":
        action = request.POST.get("action", "update")
        try:
            if action == "evidence":
                evidence_form = EvidenceForm(request.POST)
                if evidence_form.is_valid():
                    cleaned = evidence_form.cleaned_data

                    def add() -> str:
                        services.evidence_add(
                            enrollment=enrollment,
                            actor=_user(request),
                            item_key=item_key,
                            **cleaned,
                        )
                        messages.success(request, "Evidence added.")
                        return request.path + "#evidence"

                    outcome = form_submit_once(
                        user=_user(request), token=form_token_of(request), submit=add
                    )
                    if outcome.repeated:
                        messages.info(request, REPEATED_MESSAGE)
                    return HttpResponseRedirect(outcome.location or request.path)
            else:
                form = ItemForm(request.POST)
                if form.is_valid():
                    data = form.cleaned_data
                    services.item_update(
                        enrollment=enrollment,
                        actor=_user(request),
                        item_key=item_key,
                        status=data["status"] or services.UNSET,
                        rating=data["rating"],
                        notes=data["notes"],
                        expected_version=data["version"],
                    )
                    messages.success(request, "Saved.")
                    return redirect(request.path)
        except ApplicationError as exc:
            if exc.status == 409 and "current" in exc.extra:
                conflict = exc.extra["current"]
                # Keep what the learner typed; the next save is against the current version.
                data = request.POST.copy()
                data["version"] = str(conflict["version"])
                form = ItemForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    "This item changed in another window since you opened it. Your text is "
                    "still in the form below; the saved notes are shown above it. Save again "
                    "to replace them.",
                )
            else:
                _add_errors(evidence_form if action == "evidence" else form, exc)
    return render(
        request,
        "progress/item.html",
        {
            "enrollment": enrollment,
            "detail": detail,
            "item": detail["item"],
            "state": state,
            "notes_html": markdown_to_html(state["notes"]),
            "form": form,
            "evidence_form": evidence_form,
            "conflict": conflict,
            "conflict_html": markdown_to_html(conflict["notes"]) if conflict else "",
            "rating_labels": list(enumerate(RATING_LABELS)),
        },
    )


def _own_evidence(request: HttpRequest, enrollment_id: int, evidence_id: int) -> Evidence:
    try:
        return selectors.evidence_get_for_user(
            user=_user(request), enrollment_id=enrollment_id, evidence_id=evidence_id
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _item_url(evidence: Evidence) -> str:
    return reverse("progress:item", args=[evidence.enrollment_id, evidence.item_key]) + "#evidence"


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, enrollment_id: int, evidence_id: int) -> HttpResponse:
    """Correct a piece of evidence (a typo in the link, a better title)."""
    evidence = _own_evidence(request, enrollment_id, evidence_id)
    initial = {name: getattr(evidence, name) for name in services.EVIDENCE_FIELDS}
    form = EvidenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(
                evidence=evidence, actor=_user(request), changes=form.cleaned_data
            )
        except ApplicationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Evidence “{evidence.title}” saved.")
            return redirect(_item_url(evidence))
    document = document_for(evidence.enrollment.version)
    return render(
        request,
        "progress/evidence_edit.html",
        {
            "evidence": evidence,
            "form": form,
            "item": document.items.get(evidence.item_key),
            "cancel_url": _item_url(evidence),
        },
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request: HttpRequest, enrollment_id: int, evidence_id: int) -> HttpResponse:
    """Ask, then remove a piece of evidence."""
    evidence = _own_evidence(request, enrollment_id, evidence_id)
    if request.method == "POST":
        try:
            services.evidence_delete(evidence=evidence, actor=_user(request))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Evidence “{evidence.title}” deleted.")
        return redirect(_item_url(evidence))
    return render(
        request,
        "progress/evidence_delete.html",
        {"evidence": evidence, "cancel_url": _item_url(evidence)},
    )


@login_required
@post_only(lambda request, enrollment_id: reverse("dashboard:home"))
def item_quick_update(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """In-place controls (roadmap page, dashboard): change one thing, go back where you were."""
    enrollment = _own(request, enrollment_id)
    item_key = request.POST.get("item_key", "")
    changes: dict[str, Any] = {}
    if "status" in request.POST:
        changes["status"] = request.POST["status"]
    if "rating" in request.POST:
        raw = request.POST["rating"]
        try:
            changes["rating"] = int(raw) if raw != "" else None
        except ValueError:
            changes["rating"] = raw
    if "notes" in request.POST:
        changes["notes"] = request.POST["notes"]
    try:
        services.item_update(
            enrollment=enrollment, actor=_user(request), item_key=item_key, **changes
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        # Said on the page after a reload, and read out by the in-place update.
        item = document_for(enrollment.version).items.get(item_key)
        title = item.title if item else item_key
        if "status" in changes:
            messages.success(request, f"{title}: {status_label(changes['status'])}.")
        else:
            messages.success(request, f"{title}: rating and notes saved.")
    return _back(request, reverse("dashboard:home"))


# --- moving to a newer roadmap version ---------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def upgrade(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """ "Version N is available: what changes for you", and the button that moves."""
    enrollment = _own(request, enrollment_id)
    target = versions.available_version(enrollment)
    if target is None:
        messages.info(request, "You are on the newest version of this roadmap.")
        return redirect("roadmaps:detail", enrollment.roadmap.slug)
    if request.method == "POST":
        try:
            result = services.enrollment_upgrade(
                enrollment=enrollment, actor=_user(request), version=target.number
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Moved to version {result.version}: {len(result.carried)} item(s) carried"
                + (f", {len(result.archived)} archived" if result.archived else "")
                + ".",
            )
            return redirect("roadmaps:detail", enrollment.roadmap.slug)
    plan = versions.enrollment_upgrade_plan(enrollment=enrollment, version=target.number)
    context = {"enrollment": enrollment, "plan": plan, "diff": plan.diff, "target": target}
    return render(request, "progress/upgrade.html", context)


@login_required
def archived_items(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Progress kept from items that a newer version removed."""
    enrollment = _own(request, enrollment_id)
    context = {"enrollment": enrollment, "archived": list(versions.archive_for(enrollment))}
    return render(request, "progress/archived.html", context)


@login_required
def export_markdown(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The learner's progress as Markdown with GitHub checklists."""
    enrollment = _own(request, enrollment_id)
    content = versions.enrollment_markdown(enrollment)
    response = HttpResponse(content, content_type="text/markdown; charset=utf-8")
    filename = f"{enrollment.roadmap.slug}-progress.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
