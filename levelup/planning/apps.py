from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "levelup.planning"
    label = "planning"
    verbose_name = "Planning"
