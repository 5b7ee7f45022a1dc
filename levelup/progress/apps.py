from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "levelup.progress"
    label = "progress"
    verbose_name = "Progress"

    def ready(self) -> None:
        # Roadmap pages show an enrolled learner their pinned version; roadmaps sit below
        # progress and cannot import it, so progress tells them where to look.
        from levelup.progress.versions import pin_for
        from levelup.roadmaps.selectors import pin_finder_register

        pin_finder_register(pin_for)
