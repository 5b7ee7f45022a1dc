from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.roadmaps import views

app_name = "roadmaps"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:slug>/", views.roadmap_detail, name="detail"),
    path("<slug:slug>/topics/<slug:topic_slug>/", views.topic_detail, name="topic"),
    path("<slug:slug>/projects/<slug:project_slug>/", views.project_detail, name="project"),
]
