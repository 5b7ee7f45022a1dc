"""Pages: the public portfolio `/u/<username>/`, its card and zip, and its settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from levelup.accounts.models import User
from levelup.lib.errors import ApplicationError
from levelup.portfolio import selectors, services
from levelup.portfolio.card import card_svg
from levelup.portfolio.export import portfolio_zip
from levelup.portfolio.forms import PortfolioForm
from levelup.portfolio.models import SECTIONS
from levelup.portfolio.selectors import PublicPortfolio


def _public(username: str) -> PublicPortfolio:
    portfolio = selectors.public_portfolio(username=username)
    if portfolio is None:
        raise Http404("no public portfolio here")
    return portfolio


@require_GET
def public(request: HttpRequest, username: str) -> HttpResponse:
    """The public page; 404 unless the learner turned their portfolio on."""
    portfolio = _public(username)
    card_url = request.build_absolute_uri(reverse("portfolio:card", args=[portfolio.username]))
    page_url = request.build_absolute_uri(reverse("portfolio:public", args=[portfolio.username]))
    response = render(
        request,
        "portfolio/public.html",
        {"p": portfolio, "card_url": card_url, "page_url": page_url},
    )
    # Off means off at once: no shared cache may keep a page the learner took down.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def card(request: HttpRequest, username: str) -> HttpResponse:
    """The share card as SVG."""
    portfolio = _public(username)
    response = HttpResponse(card_svg(portfolio), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Turn the portfolio on or off and choose its sections."""
    user = _user(request)
    current = selectors.portfolio_settings_of(user=user)
    if request.method == "POST":
        form = PortfolioForm(request.POST)
        if form.is_valid():
            try:
                services.portfolio_update(
                    user=user,
                    enabled=form.cleaned_data["enabled"],
                    headline=form.cleaned_data["headline"],
                    sections=form.sections(),
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    "Your portfolio is public."
                    if form.cleaned_data["enabled"]
                    else "Your portfolio is private.",
                )
                return HttpResponseRedirect(reverse("portfolio:settings"))
    else:
        initial: dict[str, object] = {"enabled": current.enabled, "headline": current.headline}
        initial.update({f"section_{n}": v for n, v in current.sections().items()})
        form = PortfolioForm(initial=initial)
    context = {
        "form": form,
        "current": current,
        "public_url": request.build_absolute_uri(reverse("portfolio:public", args=[user.username])),
        "section_names": list(SECTIONS),
    }
    return render(request, "portfolio/settings.html", context, status=422 if form.errors else 200)


@login_required
@require_GET
def export_zip(request: HttpRequest) -> HttpResponse:
    """The public portfolio as a static site (only when it is on: it is what is public)."""
    user = _user(request)
    portfolio = selectors.public_portfolio(username=user.username)
    if portfolio is None:
        messages.error(request, "Turn your portfolio on first: the export holds what is public.")
        return HttpResponseRedirect(reverse("portfolio:settings"))
    response = HttpResponse(portfolio_zip(portfolio), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{user.username}-portfolio.zip"'
    return response
