from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "levelup.journal"
    label = "journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        # Moving an enrollment to a new roadmap version (progress) must carry the
        # item keys of study sessions and entries; progress cannot import the journal.
        from levelup.journal.services import item_keys_move, logged_minutes_by_item
        from levelup.progress.versions import ItemKeyUser, item_key_user_register

        item_key_user_register(ItemKeyUser(minutes=logged_minutes_by_item, move=item_keys_move))
