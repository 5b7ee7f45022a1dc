"""API of the portfolio settings: GET|PATCH /api/v1/me/portfolio."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from levelup.accounts.models import User
from levelup.lib.schemas import Bool, Error, Key, Line
from levelup.portfolio import selectors, services
from levelup.portfolio.models import PortfolioSettings

router = Router(tags=["portfolio"])


class SectionsOut(Schema):
    progress: bool
    projects: bool
    checkpoints: bool
    hours: bool
    journal: bool
    reading: bool
    certifications: bool


class PortfolioOut(Schema):
    enabled: bool
    headline: str
    sections: SectionsOut
    url: str


class PortfolioPatch(Schema):
    enabled: Bool | None = None
    headline: Line | None = None
    sections: dict[Annotated[Key, Field(max_length=40)], Any] | None = None


def _out(request: HttpRequest, settings: PortfolioSettings, user: User) -> dict[str, Any]:
    return {
        "enabled": settings.enabled,
        "headline": settings.headline,
        "sections": settings.sections(),
        "url": request.build_absolute_uri(f"/u/{user.username}/"),
    }


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@router.get("/me/portfolio", response=PortfolioOut)
def portfolio_get(request: HttpRequest) -> dict[str, Any]:
    """Whether your public portfolio is on, and which sections it shows."""
    user = _user(request)
    return _out(request, selectors.portfolio_settings_of(user=user), user)


@router.patch("/me/portfolio", response={200: PortfolioOut, 422: Error})
def portfolio_patch(request: HttpRequest, payload: PortfolioPatch) -> dict[str, Any]:
    """Turn it on or off (`enabled`), set `headline`, switch `sections` by name."""
    user = _user(request)
    settings = services.portfolio_update(user=user, **payload.model_dump(exclude_unset=True))
    return _out(request, settings, user)
