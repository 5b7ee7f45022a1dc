from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from levelup.roadmaps import views

app_name = "roadmaps"
urlpatterns: list[URLPattern | URLResolver] = [
    # The roadmap list is the home page; a trimmed URL should still land on it.
    path("", RedirectView.as_view(pattern_name="home", permanent=False), name="list"),
    path("<slug:slug>/", views.roadmap_detail, name="detail"),
    path("<slug:slug>/topics/<slug:topic_slug>/", views.topic_detail, name="topic"),
    path("<slug:slug>/projects/<slug:project_slug>/", views.project_detail, name="project"),
]
