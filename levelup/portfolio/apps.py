from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "levelup.portfolio"
    label = "portfolio"
    verbose_name = "Portfolio"
