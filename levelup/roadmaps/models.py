"""Stored roadmaps. A version is an immutable, validated document."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Roadmap(models.Model):
    """A roadmap's identity; its content lives in versions."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    is_builtin = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    current_version = models.ForeignKey(
        "RoadmapVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class RoadmapVersion(models.Model):
    """One published document of a roadmap; never changed after it is stored."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=40, help_text="The author's own version label.")
    content_hash = models.CharField(max_length=64)
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["roadmap", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "number"], name="roadmap_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.roadmap.slug} v{self.number}"
