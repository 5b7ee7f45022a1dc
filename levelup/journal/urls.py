"""Pages of the journal app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.journal import views

app_name = "journal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("journal/", views.week, name="week"),
    path("journal/sessions/", views.sessions, name="sessions"),
    path("journal/sessions/add/", views.session_add, name="session_add"),
    path("journal/sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("journal/sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path("journal/sessions.csv", views.export, name="export"),
    path("journal/csv/", views.csv_page, name="csv"),
    path("journal/practice/", views.practice, name="practice"),
    path("journal/practice/<int:problem_id>/edit/", views.practice_edit, name="practice_edit"),
    path(
        "journal/practice/<int:problem_id>/delete/", views.practice_delete, name="practice_delete"
    ),
    path("journal/entries/", views.entries, name="entries"),
    path("journal/entries/new/", views.entry_new, name="entry_new"),
    path("journal/entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("journal/entries/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("journal/entries/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
]
