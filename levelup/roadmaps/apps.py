from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "levelup.roadmaps"
    label = "roadmaps"
    verbose_name = "Roadmaps"
