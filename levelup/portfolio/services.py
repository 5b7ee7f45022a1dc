"""Writes of the portfolio settings."""

from __future__ import annotations

from levelup.accounts.models import User
from levelup.lib.errors import Invalid
from levelup.portfolio.models import SECTIONS, PortfolioSettings

HEADLINE_MAX = 200


def portfolio_update(
    *,
    user: User,
    enabled: bool | None = None,
    headline: str | None = None,
    sections: dict[str, bool] | None = None,
) -> PortfolioSettings:
    """Turn the portfolio on or off, set its headline, switch sections (unnamed ones stay)."""
    errors: list[dict[str, str]] = []
    for name, value in (sections or {}).items():
        if name not in SECTIONS:
            errors.append(
                {
                    "field": f"sections.{name}",
                    "message": f"is not a section; use {', '.join(SECTIONS)}",
                }
            )
        elif not isinstance(value, bool):
            errors.append({"field": f"sections.{name}", "message": "must be true or false"})
    if headline is not None:
        headline = headline.strip()
        if len(headline) > HEADLINE_MAX:
            errors.append(
                {"field": "headline", "message": f"use at most {HEADLINE_MAX} characters"}
            )
    if errors:
        raise Invalid("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    settings, _ = PortfolioSettings.objects.get_or_create(user=user)
    if enabled is not None:
        settings.enabled = enabled
    if headline is not None:
        settings.headline = headline
    for name, value in (sections or {}).items():
        setattr(settings, SECTIONS[name], value)
    settings.save()
    return settings
