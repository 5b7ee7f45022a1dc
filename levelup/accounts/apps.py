from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "levelup.accounts"
    label = "accounts"
    verbose_name = "Accounts"
