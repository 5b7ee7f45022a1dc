"""Pages of the planning app: the plan, its settings and calendar, and the ICS feed."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.planning import views

app_name = "planning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("plan/", views.plan_home, name="home"),
    path("plan/<int:enrollment_id>/", views.plan, name="plan"),
    path("plan/<int:enrollment_id>/settings/", views.plan_settings, name="settings"),
    path("plan/<int:enrollment_id>/calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<slug:secret>.ics", views.ics, name="ics"),
]
