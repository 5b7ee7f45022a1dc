"""Pages of the journal app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "journal"
urlpatterns: list[URLPattern | URLResolver] = []
