"""Pages of the portfolio."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from levelup.portfolio import views

app_name = "portfolio"
urlpatterns: list[URLPattern | URLResolver] = [
    path("u/<str:username>/", views.public, name="public"),
    path("u/<str:username>/card.svg", views.card, name="card"),
    path("accounts/portfolio/", views.settings_page, name="settings"),
    path("accounts/portfolio/portfolio.zip", views.export_zip, name="zip"),
]
