from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "levelup.resources"
    label = "resources"
    verbose_name = "Reading list and certifications"
