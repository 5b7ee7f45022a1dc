"""Pages of the journal: week review, sessions, practice log, learning journal, CSV.

Pages work on one enrollment: `?enrollment=<id>` (or a hidden form field) picks
one, else the learner's newest open enrollment. Another user's data is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from levelup.accounts.formtokens import REPEATED_MESSAGE, form_submit_once, form_token_of
from levelup.journal import selectors, services
from levelup.journal import validation as v
from levelup.journal.charts import category_colours, weekly_chart_svg
from levelup.journal.forms import (
    EntryForm,
    ImportForm,
    PracticeForm,
    QuickAddForm,
    SessionForm,
    apply_errors,
)
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.journal.quickadd import parse_quick_line
from levelup.lib.dates import date_display
from levelup.lib.errors import ApplicationError, NotFound
from levelup.lib.http import post_only
from levelup.progress.models import Enrollment
from levelup.progress.selectors import default_enrollment, enrollment_get

PAGE_SIZE = 50


def _enrollment(request: HttpRequest) -> Enrollment | None:
    raw = request.POST.get("enrollment") or request.GET.get("enrollment")
    if raw:
        try:
            return enrollment_get(user=request.user, enrollment_id=int(raw))  # type: ignore[arg-type]
        except (ValueError, NotFound):
            raise Http404("no such enrollment") from None
    return default_enrollment(user=request.user)  # type: ignore[arg-type]


def _user_id(request: HttpRequest) -> int:
    return int(request.user.pk or 0)


def _url(name: str, enrollment: Enrollment, **params: Any) -> str:
    query = {
        "enrollment": enrollment.pk,
        **{k: val for k, val in params.items() if val not in (None, "")},
    }
    return f"{reverse(name)}?{urlencode(query)}"


def _next_or(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(_next_url(request, fallback))


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _once(request: HttpRequest, submit: Callable[[], str]) -> HttpResponseRedirect:
    """Run a create form's write once per one-time form token (see accounts.formtokens);
    a resubmitted form (refresh, back button) goes where the first one went."""
    outcome = form_submit_once(
        user=request.user,  # type: ignore[arg-type]
        token=form_token_of(request),
        submit=submit,
    )
    if outcome.repeated:
        messages.info(request, REPEATED_MESSAGE)
    return HttpResponseRedirect(outcome.location or reverse("journal:week"))


def _no_enrollment(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/no_enrollment.html", status=200)


def _base_context(enrollment: Enrollment, section: str) -> dict[str, Any]:
    document = v.document_of(enrollment)
    return {
        "enrollment": enrollment,
        "document": document,
        "section": section,
        "categories": [(c.slug, c.title) for c in document.weekly_schedule.categories],
        "item_choices": list(document.items.values()),
    }


# --- week review ----------------------------------------------------------------------


@login_required
def week(request: HttpRequest) -> HttpResponse:
    """The review of one week (default the current one) with the 12-week chart."""
    enrollment = _enrollment(request)
    if enrollment is None:
        return _no_enrollment(request)
    try:
        review = selectors.weekly_review(enrollment, request.GET.get("week") or None)
    except ApplicationError as exc:
        raise Http404(exc.message) from None
    chart = selectors.weekly_chart_data(enrollment, review["week"], today=review["today"])
    context = _base_context(enrollment, "week")
    colours = category_colours([slug for slug, _ in context["categories"]])
    context.update(
        review=review,
        chart_svg=weekly_chart_svg(chart),
        chart_rows=[
            {
                "bar": bar,
                "cells": [bar.minutes.get(slug, 0) for slug, _ in context["categories"]],
                "other": bar.total
                - sum(bar.minutes.get(slug, 0) for slug, _ in context["categories"]),
            }
            for bar in chart["bars"]
        ],
        colours=colours,
        prev_url=_url("journal:week", enrollment, week=review["previous_week"]),
        next_url=_url("journal:week", enrollment, week=review["next_week"]),
        this_url=_url("journal:week", enrollment),
        previous_start=review["start"] - dt.timedelta(days=7),
        next_start=review["start"] + dt.timedelta(days=7),
    )
    return render(request, "journal/week.html", context)


# --- sessions -------------------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Sessions newest first, 50 a page, with the full add form."""
    enrollment = _enrollment(request)
    if enrollment is None:
        return _no_enrollment(request)
    return _sessions_page(request, _base_context(enrollment, "sessions"))


def _sessions_page(
    request: HttpRequest,
    context: dict[str, Any],
    *,
    form: SessionForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The sessions page: a page of sessions, the full form (blank unless given) and
    whatever else the caller adds, such as a failed quick add's line and reason."""
    paginator = Paginator(selectors.session_list(enrollment=context["enrollment"]), PAGE_SIZE)
    context.update(
        page=paginator.get_page(request.GET.get("page")),
        form=form or SessionForm(categories=context["categories"]),
        **extra,
    )
    return render(request, "journal/sessions.html", context, status=status)


def _quick_add_failed(
    request: HttpRequest, context: dict[str, Any], line: str, reason: str
) -> HttpResponse:
    """Show the sessions page again with the typed line kept and the reason beside it."""
    return _sessions_page(
        request, context, status=422, quick_line=line, quick_error=f"Not logged: {reason}"
    )


def _sessions_address(request: HttpRequest) -> str:
    raw = request.GET.get("enrollment", "")
    return reverse("journal:sessions") + (f"?{urlencode({'enrollment': raw})}" if raw else "")


@login_required
@post_only(_sessions_address)
def session_add(request: HttpRequest) -> HttpResponse:
    """Log a session from the one-line quick add (`line`) or the full form."""
    enrollment = _enrollment(request)
    if enrollment is None:
        raise Http404("no enrollment")
    context = _base_context(enrollment, "sessions")
    fallback = _url("journal:sessions", enrollment)
    if "line" in request.POST:
        quick = QuickAddForm(request.POST)
        line = request.POST.get("line", "")
        if not quick.is_valid():
            return _quick_add_failed(
                request, context, line, "type what you studied, e.g. “45m theory”."
            )

        def log_line() -> str:
            entry = parse_quick_line(
                quick.cleaned_data["line"],
                categories=[slug for slug, _ in context["categories"]],
                today=v.learner_today(enrollment),
                aliases=v.category_aliases(v.document_of(enrollment)),
            )
            session = services.study_session_log(
                enrollment=enrollment,
                minutes=entry.minutes,
                category=entry.category,
                date=entry.date,
                start_time=entry.start_time,
                item_key=entry.item_key,
                note=entry.note,
            ).session
            messages.success(
                request,
                f"Logged {session.minutes} min of {session.category} on {date_display(session.date)}.",
            )
            return _next_url(request, fallback)

        try:
            return _once(request, log_line)
        except ApplicationError as exc:
            return _quick_add_failed(request, context, line, exc.message)

    form = SessionForm(request.POST, categories=context["categories"])
    if form.is_valid():

        def log() -> str:
            services.study_session_log(enrollment=enrollment, **form.cleaned_data)
            messages.success(request, "Session logged.")
            return _next_url(request, fallback)

        try:
            return _once(request, log)
        except ApplicationError as exc:
            apply_errors(form, exc)
    return _sessions_page(request, context, form=form, status=422)


def _own_session(request: HttpRequest, session_id: int) -> StudySession:
    session = (
        StudySession.objects.select_related("enrollment__user", "enrollment__version")
        .defer("enrollment__version__document")
        .filter(pk=session_id, enrollment__user_id=_user_id(request))
        .first()
    )
    if session is None:
        raise Http404("no such session")
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _own_session(request, session_id)
    enrollment = session.enrollment
    context = _base_context(enrollment, "sessions")
    problem = PracticeProblem.objects.filter(session=session).first()
    if problem is not None:
        messages.info(
            request, "This session holds a practice problem's minutes; edit the problem instead."
        )
        return HttpResponseRedirect(reverse("journal:practice_edit", args=[problem.pk]))
    fields = ("date", "start_time", "minutes", "category", "item_key", "note")
    if request.method == "POST":
        form = SessionForm(request.POST, categories=context["categories"])
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in fields}
            changes["date"] = changes["date"] or session.date
            try:
                services.study_session_update(session=session, changes=changes)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Session saved.")
                return _next_or(request, _url("journal:sessions", enrollment))
    else:
        form = SessionForm(
            initial={name: getattr(session, name) for name in fields},
            categories=context["categories"],
        )
    context.update(form=form, object=session, heading="Edit session")
    return render(request, "journal/form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _own_session(request, session_id)
    enrollment = session.enrollment
    if request.method == "POST":
        try:
            services.study_session_delete(session=session)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Session deleted.")
        return _next_or(request, _url("journal:sessions", enrollment))
    context = _base_context(enrollment, "sessions")
    context.update(
        object=session,
        what=f"the session of {session.minutes} min {session.category} on {session.date:%Y-%m-%d}",
        cancel_url=_url("journal:sessions", enrollment),
    )
    return render(request, "journal/confirm_delete.html", context)


# --- practice -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def practice(request: HttpRequest) -> HttpResponse:
    """The practice log with its add form."""
    enrollment = _enrollment(request)
    if enrollment is None:
        return _no_enrollment(request)
    context = _base_context(enrollment, "practice")
    status = 200
    if request.method == "POST":
        form = PracticeForm(request.POST)
        if form.is_valid():

            def log() -> str:
                services.practice_problem_log(enrollment=enrollment, **form.cleaned_data)
                messages.success(request, "Practice problem logged.")
                return _url("journal:practice", enrollment)

            try:
                return _once(request, log)
            except ApplicationError as exc:
                apply_errors(form, exc)
        status = 422
    else:
        form = PracticeForm()
    paginator = Paginator(selectors.practice_list(enrollment=enrollment), PAGE_SIZE)
    review = selectors.weekly_review(enrollment)
    context.update(page=paginator.get_page(request.GET.get("page")), form=form, review=review)
    return render(request, "journal/practice.html", context, status=status)


def _own_problem(request: HttpRequest, problem_id: int) -> PracticeProblem:
    problem = (
        PracticeProblem.objects.select_related("enrollment__user", "enrollment__version", "session")
        .filter(pk=problem_id, enrollment__user_id=_user_id(request))
        .first()
    )
    if problem is None:
        raise Http404("no such practice problem")
    return problem


@login_required
@require_http_methods(["GET", "POST"])
def practice_edit(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = _own_problem(request, problem_id)
    enrollment = problem.enrollment
    fields = ("date", "platform", "title", "url", "difficulty", "outcome", "item_key", "minutes")
    if request.method == "POST":
        form = PracticeForm(request.POST)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in fields}
            changes["date"] = changes["date"] or problem.date
            try:
                services.practice_problem_update(problem=problem, changes=changes)
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Practice problem saved.")
                return HttpResponseRedirect(_url("journal:practice", enrollment))
    else:
        form = PracticeForm(initial={name: getattr(problem, name) for name in fields})
    context = _base_context(enrollment, "practice")
    context.update(form=form, object=problem, heading="Edit practice problem")
    return render(request, "journal/form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def practice_delete(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = _own_problem(request, problem_id)
    enrollment = problem.enrollment
    if request.method == "POST":
        services.practice_problem_delete(problem=problem)
        messages.success(request, "Practice problem deleted, with its study time.")
        return HttpResponseRedirect(_url("journal:practice", enrollment))
    context = _base_context(enrollment, "practice")
    context.update(
        object=problem,
        what=f"the practice problem “{problem.title}” and its {problem.minutes} min of study time",
        cancel_url=_url("journal:practice", enrollment),
    )
    return render(request, "journal/confirm_delete.html", context)


# --- learning journal -----------------------------------------------------------------


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    """Journal entries, filtered by tag, item and search words."""
    enrollment = _enrollment(request)
    if enrollment is None:
        return _no_enrollment(request)
    tag = request.GET.get("tag", "")
    item = request.GET.get("item", "")
    q = request.GET.get("q", "")
    paginator = Paginator(selectors.entry_list(enrollment=enrollment, tag=tag, item=item, q=q), 20)
    context = _base_context(enrollment, "entries")
    context.update(
        page=paginator.get_page(request.GET.get("page")),
        tag=tag,
        item=item,
        q=q,
        filtered=bool(tag or item or q),
        all_tags=selectors.entry_tags(enrollment=enrollment),
    )
    return render(request, "journal/entries.html", context)


def _own_entry(request: HttpRequest, entry_id: int) -> JournalEntry:
    entry = (
        JournalEntry.objects.select_related("enrollment__user", "enrollment__version")
        .defer("enrollment__version__document")
        .filter(pk=entry_id, enrollment__user_id=_user_id(request))
        .first()
    )
    if entry is None:
        raise Http404("no such journal entry")
    return entry


@login_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    context = _base_context(entry.enrollment, "entries")
    items = context["document"].items
    context.update(
        entry=entry,
        linked=[(key, items[key].title if key in items else key) for key in entry.item_keys],
    )
    return render(request, "journal/entry.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    enrollment = _enrollment(request)
    if enrollment is None:
        return _no_enrollment(request)
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():

            def write() -> str:
                twin = services.journal_entry_twin(
                    enrollment=enrollment,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    date=form.cleaned_data["date"],
                )
                if twin is not None:
                    messages.info(request, REPEATED_MESSAGE)
                    return reverse("journal:entry", args=[twin.pk])
                entry = services.journal_entry_create(
                    enrollment=enrollment,
                    date=form.cleaned_data["date"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.split("tags"),
                    item_keys=form.split("item_keys"),
                    public=form.cleaned_data["public"],
                )
                messages.success(request, "Entry saved.")
                return reverse("journal:entry", args=[entry.pk])

            try:
                return _once(request, write)
            except ApplicationError as exc:
                apply_errors(form, exc)
    else:
        form = EntryForm(initial={"item_keys": request.GET.get("item", "")})
    context = _base_context(enrollment, "entries")
    context.update(form=form, heading="New journal entry")
    return render(request, "journal/form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            try:
                services.journal_entry_update(
                    entry=entry,
                    changes={
                        "date": form.cleaned_data["date"] or entry.date,
                        "title": form.cleaned_data["title"],
                        "body": form.cleaned_data["body"],
                        "tags": form.split("tags"),
                        "item_keys": form.split("item_keys"),
                        "public": form.cleaned_data["public"],
                    },
                )
            except ApplicationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Entry saved.")
                return HttpResponseRedirect(reverse("journal:entry", args=[entry.pk]))
    else:
        form = EntryForm(
            initial={
                "date": entry.date,
                "title": entry.title,
                "body": entry.body,
                "tags": ", ".join(entry.tags),
                "item_keys": ", ".join(entry.item_keys),
                "public": entry.public,
            }
        )
    context = _base_context(entry.enrollment, "entries")
    context.update(form=form, object=entry, heading="Edit journal entry")
    return render(request, "journal/form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _own_entry(request, entry_id)
    enrollment = entry.enrollment
    if request.method == "POST":
        services.journal_entry_delete(entry=entry)
        messages.success(request, "Entry deleted.")
        return HttpResponseRedirect(_url("journal:entries", enrollment))
    context = _base_context(enrollment, "entries")
    context.update(
        object=entry,
        what=f"the entry “{entry.title}”",
        cancel_url=reverse("journal:entry", args=[entry.pk]),
    )
    return render(request, "journal/confirm_delete.html", context)


# --- CSV ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def csv_page(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of sessions (all rows checked first) and download the export."""
    enrollment = _enrollment(request)
    if enrollment is None:
        return _no_enrollment(request)
    problems: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8")
                result = services.sessions_import_csv(enrollment=enrollment, text=text)
            except UnicodeDecodeError:
                form.add_error("file", "The file is not UTF-8 text.")
            except ApplicationError as exc:
                form.add_error("file", exc.message.split(". ")[0] + ".")
                problems = exc.errors
            else:
                messages.success(
                    request,
                    f"Imported {result.created} session(s); "
                    f"{result.skipped} row(s) were already there.",
                )
                return HttpResponseRedirect(_url("journal:sessions", enrollment))
        status = 422
    else:
        form = ImportForm()
    context = _base_context(enrollment, "csv")
    context.update(form=form, problems=problems, export_url=_url("journal:export", enrollment))
    return render(request, "journal/csv.html", context, status=status)


@login_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    enrollment = _enrollment(request)
    if enrollment is None:
        raise Http404("no enrollment")
    response = StreamingHttpResponse(
        selectors.sessions_csv(enrollment=enrollment), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sessions-{enrollment.pk}.csv"'
    return response
