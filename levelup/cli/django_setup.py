"""Start Django only for the commands that need the local database.

Learner commands talk HTTP and never import Django, so `levelup --help` and
`levelup log` stay fast.
"""

from __future__ import annotations

import os

# Operator commands create the database, keys, backups and exports: readable by the
# account that runs levelup only (files 0600, directories 0700). `serve` hands the
# umask on to gunicorn and its workers.
PRIVATE_UMASK = 0o077


def setup_django() -> None:
    os.umask(PRIVATE_UMASK)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levelup.settings")
    import django

    django.setup()
