"""Stored roadmaps. A version is an immutable, validated document."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Visibility(models.TextChoices):
    """Who sees a roadmap. Private answers 404 to everyone but its owner."""

    PRIVATE = "private", "Private: only you"
    UNLISTED = "unlisted", "Unlisted: anyone with the link"
    PUBLIC = "public", "Public: listed for everyone"


class Roadmap(models.Model):
    """A roadmap's identity; its content lives in versions.

    Built-in and operator-loaded roadmaps have no owner and are public; a
    learner's own roadmap or fork has an owner, a visibility and, for a fork,
    the roadmap and version it came from (the base of upstream merges).
    """

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
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    forked_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks"
    )
    # The upstream version this fork last took in (at forking or at a merge).
    forked_from_version = models.ForeignKey(
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
