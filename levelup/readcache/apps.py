from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReadCacheConfig(AppConfig):
    name = "levelup.readcache"
    label = "readcache"
    verbose_name = "Read cache"

    def ready(self) -> None:
        from levelup.readcache.stamps import stamp_triggers_install

        # After every migrate: new tables that belong to an enrollment get their
        # trigger without anyone having to remember it.
        post_migrate.connect(stamp_triggers_install, dispatch_uid="levelup-stamp-triggers")
