from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from levelup.api import api
from levelup.roadmaps import views as roadmap_views

urlpatterns = [
    path("", roadmap_views.home, name="home"),
    path("api/v1/", api.urls),
    path("api/openapi.json", roadmap_views.openapi_redirect, name="openapi"),
    path("api/docs", roadmap_views.docs_redirect, name="api-docs"),
    path("accounts/", include("levelup.accounts.urls")),
    path("roadmaps/", include("levelup.roadmaps.urls")),
    path("", include("levelup.dashboard.urls")),
    path("", include("levelup.progress.urls")),
    path("", include("levelup.journal.urls")),
    path("", include("levelup.planning.urls")),
    path("", include("levelup.mentoring.urls")),
    path("", include("levelup.resources.urls")),
    path("", include("levelup.portfolio.urls")),
    path("", include("levelup.datatransfer.urls")),
    path("admin/", admin.site.urls),
]
