"""Pages of the planning app: the plan, its settings, the calendar feed and the ICS file.

Views parse, call the selectors and services, and format; the plan itself comes from
`selectors.plan_context` (cached by fingerprint).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from levelup.accounts.models import User
from levelup.lib.errors import ApplicationError, NotFound
from levelup.lib.http import post_only
from levelup.planning import selectors, services
from levelup.planning.charts import display_phase, long_date, plan_timeline_svg
from levelup.planning.forms import CalendarTimesForm, PlanSettingsForm
from levelup.progress.models import Enrollment
from levelup.progress.selectors import default_enrollment, enrollment_get
from levelup.resources.selectors import booked_exams
from levelup.roadmaps.selectors import document_for

# Where the service's field names land on the plan page's form.
_FORM_FIELDS = {
    "weekly_hours": "weekly_hours",
    "pause_start": "pause_start",
    "pause_end": "pause_end",
    "start_date": "pause_start",
    "end_date": "pause_end",
    "reason": "pause_reason",
}
_FLASH_KEY = "planning-feed-url-{}"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _own_enrollment(request: HttpRequest, enrollment_id: int) -> Enrollment:
    try:
        return enrollment_get(user=_user(request), enrollment_id=enrollment_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_GET
def plan_home(request: HttpRequest) -> HttpResponse:
    """The main menu's "Plan": the plan of the enrollment the dashboard shows first.

    Without an active enrollment there is no plan yet; the dashboard offers to enroll.
    """
    active = default_enrollment(user=_user(request))
    if active is None:
        messages.info(request, "Enroll in a roadmap first; your plan is made from it.")
        return redirect("dashboard:home")
    return redirect("planning:plan", enrollment_id=active.pk)


def finish_sentence(data: dict[str, Any]) -> list[str]:
    """The finish and its forecast in plain words."""
    finish = data["finish"]
    hours = f"{data['weekly_hours']:g}"
    if finish["planned"] is None:
        first = f"At {hours} h a week the plan cannot reach the end; see the warnings below."
    else:
        first = f"At {hours} h a week you finish on {long_date(finish['planned'])}"
        if finish["p50"] is not None and finish["p85"] is not None:
            first += (
                f"; on your recent weeks, probably by {long_date(finish['p50'])} (50%) "
                f"and almost surely by {long_date(finish['p85'])} (85%)."
            )
        else:
            first += "."
    sentences = [first]
    forecast = data["forecast"]
    if not forecast["available"]:
        have = forecast["weeks_of_history"]
        if have < forecast["weeks_needed"]:
            sentences.append(
                "A forecast from the hours you really log appears after "
                f"{forecast['weeks_needed']} full weeks of study since your start "
                f"(you have {have} so far)."
            )
        else:
            sentences.append(
                "No forecast from your recent weeks: they hold too little logged study time "
                "to reach the end. Log your sessions in the journal to get one."
            )
    sentences.append(f"The roadmap's own timeline ends on {long_date(finish['nominal'])}.")
    return sentences


def _timeline(context: selectors.PlanContext, data: dict[str, Any]) -> dict[str, Any]:
    document = document_for(context.enrollment.version)
    phases = document.phases
    windows = {item.key: (item.month_start, item.month_end) for item in context.roadmap.items}
    rows: list[dict[str, Any]] = []
    for item in data["items"]:
        row = dict(item)
        row["month_start"], row["month_end"] = windows[item["key"]]
        row["colour"] = display_phase(row, phases)
        rows.append(row)
    groups: list[tuple[str, int, list[dict[str, Any]]]] = []
    for index, phase in enumerate(phases):
        members = [r for r in rows if r["phase"] == phase.slug]
        if members:
            groups.append((phase.title, index % 5 + 1, members))
    projects = [r for r in rows if r["kind"] == "project"]
    if projects:
        groups.append(("Projects", projects[0]["colour"], projects))
    dates = [data["today"], context.learner.start_date]
    for row in rows:
        dates += [row["nominal_start"], row["nominal_finish"]]
        dates += [d for d in (row["planned_finish"], row["actual_start"]) if d is not None]
    if data["finish"]["planned"] is not None:
        dates.append(data["finish"]["planned"])
    # Booked exams show on the timeline, and stretch it, as they do in the calendar feed.
    exams: list[dict[str, Any]] = [
        {"title": cert.title, "date": cert.exam_date}
        for cert in booked_exams(user=context.enrollment.user)
    ]
    dates += [exam["date"] for exam in exams]
    first, last = min(dates), max(dates)
    planned = data["finish"]["planned"]
    summary = (
        f"{len(rows)} items from {long_date(first)} to {long_date(last)}. "
        + (f"Planned finish {long_date(planned)}. " if planned else "")
        + f"Today is {long_date(data['today'])}. "
        + "".join(f"Exam {e['title']} on {long_date(e['date'])}. " for e in exams)
        + "The table below lists every item."
    )
    svg = plan_timeline_svg(
        groups=groups,
        checkpoints=data["checkpoints"],
        today=data["today"],
        first=first,
        last=last,
        summary=summary,
        exams=exams,
    )
    return {"svg": svg, "groups": groups, "exams": exams}


def _render_plan(
    request: HttpRequest,
    enrollment: Enrollment,
    *,
    settings_form: PlanSettingsForm | None = None,
    times_form: CalendarTimesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = selectors.plan_context(enrollment)
    data = selectors.plan_data(context)
    week = selectors.this_week_data(context)
    feed = selectors.feed_for(enrollment)
    slots = selectors.routine_slots(enrollment, feed.times if feed else None)
    if settings_form is None:
        settings_form = PlanSettingsForm(initial={"weekly_hours": enrollment.weekly_hours})
    if times_form is None:
        times_form = CalendarTimesForm(slots=slots)
    feed_path = request.session.pop(_FLASH_KEY.format(enrollment.pk), None)
    document = document_for(enrollment.version)
    schedule = document.weekly_schedule
    return render(
        request,
        "planning/plan.html",
        {
            "enrollment": enrollment,
            "document": document,
            "d": data,
            "verdict": data["verdict"],
            "week": week,
            "week_items_hours": f"{week['total_hours']:g}",
            "sentences": finish_sentence(data),
            "timeline": _timeline(context, data),
            "settings_form": settings_form,
            "times_form": times_form,
            "feed": feed,
            "feed_url": request.build_absolute_uri(feed_path) if feed_path else None,
            "slots": slots,
            "study_days": enrollment.study_days,
            "weekly_range": f"{schedule.min_hours:g}–{schedule.max_hours:g}",
            "pauses": enrollment.pauses.all(),
            "archived": enrollment.status == "archived",
        },
        status=status,
    )


@login_required
@require_GET
def plan(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The plan: timeline, this week, finish and forecast, warnings, settings, calendar."""
    return _render_plan(request, _own_enrollment(request, enrollment_id))


def _add_errors(form: Any, exc: ApplicationError, mapping: dict[str, str]) -> None:
    if not exc.errors:
        form.add_error(None, exc.message)
    for error in exc.errors:
        target = mapping.get(error.get("field", ""))
        form.add_error(target if target in form.fields else None, error.get("message", ""))


@login_required
@post_only(
    lambda request, enrollment_id: (
        reverse("planning:plan", args=[enrollment_id]) + "#settings-heading"
    )
)
def plan_settings(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Change weekly hours and/or add a pause; errors re-render the page naming the field."""
    enrollment = _own_enrollment(request, enrollment_id)
    form = PlanSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_settings_update(
                enrollment=enrollment,
                actor=_user(request),
                weekly_hours=data["weekly_hours"],
                pause_start=data["pause_start"],
                pause_end=data["pause_end"],
                pause_reason=data["pause_reason"] or "",
            )
        except ApplicationError as exc:
            _add_errors(form, exc, _FORM_FIELDS)
        else:
            messages.success(request, "Plan settings saved; the plan follows them.")
            return redirect("planning:plan", enrollment_id=enrollment.pk)
    # Show the stored values again, not the refused ones kept in memory by the service.
    enrollment.refresh_from_db()
    return _render_plan(request, enrollment, settings_form=form, status=422)


@login_required
@post_only(
    lambda request, enrollment_id: reverse("planning:plan", args=[enrollment_id]) + "#calendar"
)
def calendar_settings(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Make or regenerate the calendar feed, choose study times, or turn the feed off."""
    enrollment = _own_enrollment(request, enrollment_id)
    action = request.POST.get("action", "")
    target = reverse("planning:plan", kwargs={"enrollment_id": enrollment.pk}) + "#calendar"
    if action in ("create", "regenerate"):
        _, secret = services.calendar_feed_create(enrollment=enrollment)
        request.session[_FLASH_KEY.format(enrollment.pk)] = reverse(
            "planning:ics", kwargs={"secret": secret}
        )
        messages.success(
            request,
            "Calendar feed ready. Copy its address now: it is shown only once."
            + (" The old address no longer works." if action == "regenerate" else ""),
        )
        return redirect(target)
    if action == "delete":
        services.calendar_feed_delete(enrollment=enrollment)
        messages.success(request, "Calendar feed turned off; its address no longer works.")
        return redirect(target)
    if action == "times":
        feed = selectors.feed_for(enrollment)
        if feed is None:
            raise Http404("no calendar feed yet")
        slots = selectors.routine_slots(enrollment, feed.times)
        form = CalendarTimesForm(request.POST, slots=slots)
        if form.is_valid():
            try:
                services.calendar_times_set(feed=feed, times=form.times())
            except ApplicationError as exc:
                mapping = {f"times.{s.slot}": f"time_{s.slot}" for s in slots}
                _add_errors(form, exc, mapping)
            else:
                messages.success(request, "Study times saved.")
                return redirect(target)
        return _render_plan(request, enrollment, times_form=form, status=422)
    return HttpResponse("unknown action", status=400, content_type="text/plain")


@require_GET
def ics(request: HttpRequest, secret: str) -> HttpResponse:
    """The private calendar feed; no login, the secret is the key. Wrong or old: 404."""
    try:
        feed = selectors.feed_by_secret(secret)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    body = selectors.calendar_for(feed, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="levelup-plan.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    # The URL is the credential: keep it out of other sites' logs.
    response["Referrer-Policy"] = "no-referrer"
    return response
