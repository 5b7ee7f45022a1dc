from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "roadmaps"
urlpatterns: list[URLPattern | URLResolver] = []
