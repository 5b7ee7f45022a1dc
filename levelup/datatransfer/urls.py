"""The account's "Your data" page and its actions."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.datatransfer import views

app_name = "datatransfer"
urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/data/", views.data, name="data"),
    path("accounts/data/export.json", views.download, name="export"),
    path("accounts/data/import/", views.upload, name="import"),
    path("accounts/data/delete/", views.delete, name="delete"),
]
