"""Pages of the reading list and certifications."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.resources import views

app_name = "resources"
urlpatterns: list[URLPattern | URLResolver] = [
    path("reading/", views.reading, name="reading"),
    path("reading/<int:item_id>/", views.reading_item, name="reading-item"),
    path("certifications/", views.certifications, name="certifications"),
    path("certifications/<int:certification_id>/", views.certification, name="certification"),
]
