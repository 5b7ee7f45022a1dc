from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "levelup.journal"
    label = "journal"
    verbose_name = "Journal"
