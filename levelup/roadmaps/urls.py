from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from levelup.roadmaps import studio_views, views

app_name = "roadmaps"
urlpatterns: list[URLPattern | URLResolver] = [
    # The roadmap list is the home page; a trimmed URL should still land on it.
    path("", RedirectView.as_view(pattern_name="home", permanent=False), name="list"),
    # The studio comes before `<slug>/`, so "studio" is not a usable roadmap slug.
    path("studio/", studio_views.studio, name="studio"),
    path("<slug:slug>/", views.roadmap_detail, name="detail"),
    path("<slug:slug>/fork/", studio_views.fork, name="fork"),
    path("<slug:slug>/edit/", studio_views.edit, name="edit"),
    path("<slug:slug>/source/", studio_views.source, name="source"),
    path("<slug:slug>/versions/", studio_views.versions, name="versions"),
    path("<slug:slug>/export/", studio_views.export, name="export"),
    path("<slug:slug>/settings/", studio_views.settings_update, name="settings"),
    path("<slug:slug>/upstream/", studio_views.upstream, name="upstream"),
    path("<slug:slug>/topics/<slug:topic_slug>/", views.topic_detail, name="topic"),
    path("<slug:slug>/projects/<slug:project_slug>/", views.project_detail, name="project"),
]
