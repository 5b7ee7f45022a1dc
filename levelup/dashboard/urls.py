from __future__ import annotations

from django.urls import path

from levelup.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="home"),
]
