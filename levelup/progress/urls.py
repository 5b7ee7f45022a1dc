"""Pages of the progress app."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.progress import views

app_name = "progress"
urlpatterns: list[URLPattern | URLResolver] = [
    path("enroll/<slug:roadmap_slug>/", views.enroll, name="enroll"),
    path("enrollments/<int:enrollment_id>/onboarding/", views.onboarding, name="onboarding"),
    path("enrollments/<int:enrollment_id>/assessment/", views.assessment, name="assessment"),
    path("enrollments/<int:enrollment_id>/settings/", views.enrollment_settings, name="settings"),
    path("enrollments/<int:enrollment_id>/status/", views.item_quick_update, name="item_status"),
    path(
        "enrollments/<int:enrollment_id>/evidence/<int:evidence_id>/edit/",
        views.evidence_edit,
        name="evidence_edit",
    ),
    path(
        "enrollments/<int:enrollment_id>/evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
    path("enrollments/<int:enrollment_id>/items/<path:item_key>/", views.item, name="item"),
    path("enrollments/<int:enrollment_id>/upgrade/", views.upgrade, name="upgrade"),
    path("enrollments/<int:enrollment_id>/archived/", views.archived_items, name="archived"),
    path("enrollments/<int:enrollment_id>/export.md", views.export_markdown, name="export_md"),
]
