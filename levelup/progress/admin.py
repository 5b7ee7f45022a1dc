"""Admin views of learner progress, for operators (the learner API never shows another user's data)."""

from __future__ import annotations

from django.contrib import admin

from levelup.progress.models import (
    Assessment,
    ChecklistTick,
    Enrollment,
    Evidence,
    ItemProgress,
    Pause,
    ProgressEvent,
)


class PauseInline(admin.TabularInline):
    model = Pause
    extra = 0


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "roadmap", "version", "start_date", "weekly_hours", "status")
    list_filter = ("status", "roadmap")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)
    inlines = [PauseInline]


@admin.register(ItemProgress)
class ItemProgressAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "item_key", "status", "rating", "version", "updated_at")
    list_filter = ("status",)
    search_fields = ("item_key", "enrollment__user__username")
    raw_id_fields = ("enrollment",)


@admin.register(ProgressEvent)
class ProgressEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "enrollment",
        "actor",
        "kind",
        "item_key",
        "from_value",
        "to_value",
    )
    list_filter = ("kind",)
    search_fields = ("item_key", "enrollment__user__username")
    raw_id_fields = ("enrollment", "actor")
    date_hierarchy = "created_at"


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("title", "enrollment", "item_key", "url", "repository_url", "created_at")
    search_fields = ("title", "item_key")
    raw_id_fields = ("enrollment",)


admin.site.register(Assessment)
admin.site.register(ChecklistTick)
