from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "levelup.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring and checkpoint sign-off"
