"""The dashboard page: where the learner is, whether they are on track, what comes next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from levelup.accounts.models import User
from levelup.dashboard.charts import heatmap_svg
from levelup.dashboard.selectors import dashboard_context
from levelup.progress.selectors import document_of, enrollment_list
from levelup.roadmaps.effort import DAYS_PER_MONTH
from levelup.roadmaps.selectors import roadmap_list


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The learner's position, verdict, progress, next steps and activity; else how to enroll."""
    user: User = request.user  # type: ignore[assignment]
    enrollments = [e for e in enrollment_list(user=user) if e.status != "archived"]
    chosen = request.GET.get("enrollment", "")
    enrollment = next((e for e in enrollments if str(e.pk) == chosen), None) or (
        enrollments[0] if enrollments else None
    )
    if enrollment is None:
        return render(
            request, "dashboard/empty.html", {"roadmaps": list(roadmap_list(viewer=request.user))}
        )
    board = dashboard_context(enrollment)
    data = board.data
    elapsed = max(0, (data["today"] - enrollment.start_date).days) / DAYS_PER_MONTH
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "enrollment": enrollment,
            "enrollments": enrollments,
            "d": data,
            "document": document_of(enrollment),
            "phase_progress": {p["slug"]: p["percent"] for p in data["phases"]},
            "today_month": elapsed,
            "heatmap": heatmap_svg(data["heatmap"]),
        },
    )
