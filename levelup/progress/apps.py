from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "levelup.progress"
    label = "progress"
    verbose_name = "Progress"
