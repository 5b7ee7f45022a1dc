"""Pages of the progress app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "progress"
urlpatterns: list[URLPattern | URLResolver] = []
