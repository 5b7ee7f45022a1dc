"""Admin views of the journal, for operators (learners use the pages and the API)."""

from __future__ import annotations

from django.contrib import admin

from levelup.journal.models import JournalEntry, PracticeProblem, StudySession


@admin.register(StudySession)
class StudySessionAdmin(admin.ModelAdmin):
    list_display = ("date", "enrollment", "minutes", "category", "item_key")
    list_filter = ("category",)
    search_fields = ("enrollment__user__username", "item_key", "note")
    raw_id_fields = ("enrollment",)
    readonly_fields = (
        "fingerprint",
        "idempotency_key",
        "request_fingerprint",
        "created_at",
        "updated_at",
    )


@admin.register(PracticeProblem)
class PracticeProblemAdmin(admin.ModelAdmin):
    list_display = ("date", "enrollment", "title", "platform", "difficulty", "outcome", "minutes")
    list_filter = ("platform", "difficulty", "outcome")
    search_fields = ("enrollment__user__username", "title")
    raw_id_fields = ("enrollment", "session")


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = ("date", "enrollment", "title")
    search_fields = ("enrollment__user__username", "title")
    raw_id_fields = ("enrollment",)
    readonly_fields = ("tags_index", "items_index")
