"""The learner's public portfolio settings: off until they turn it on, section by section."""

from __future__ import annotations

from django.conf import settings
from django.db import models

# Section name -> the field that switches it on. The API's `sections` object uses the names.
SECTIONS: dict[str, str] = {
    "progress": "show_progress",
    "projects": "show_projects",
    "checkpoints": "show_checkpoints",
    "hours": "show_hours",
    "journal": "show_journal",
    "reading": "show_reading",
    "certifications": "show_certifications",
}

SECTION_LABELS: dict[str, str] = {
    "progress": "Roadmap progress (phases and topics done)",
    "projects": "Projects with their evidence links and write-ups",
    "checkpoints": "Checkpoints passed",
    "hours": "Study hours by category",
    "journal": "Journal entries you marked public",
    "reading": "Books and courses finished",
    "certifications": "Certifications passed",
}


class PortfolioSettings(models.Model):
    """Whether `/u/<username>/` is public, and which sections it shows.

    A missing row means "off": nothing of a learner is public until they say so.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio"
    )
    enabled = models.BooleanField(default=False)
    headline = models.CharField(max_length=200, blank=True, help_text="One public line about you.")
    show_progress = models.BooleanField(default=False)
    show_projects = models.BooleanField(default=False)
    show_checkpoints = models.BooleanField(default=False)
    show_hours = models.BooleanField(default=False)
    show_journal = models.BooleanField(default=False)
    show_reading = models.BooleanField(default=False)
    show_certifications = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "portfolio settings"

    def __str__(self) -> str:
        return f"portfolio of {self.user_id} ({'on' if self.enabled else 'off'})"

    def sections(self) -> dict[str, bool]:
        return {name: bool(getattr(self, field)) for name, field in SECTIONS.items()}
