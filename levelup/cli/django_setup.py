"""Start Django only for the commands that need the local database.

Learner commands talk HTTP and never import Django, so `levelup --help` and
`levelup log` stay fast.
"""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "levelup.settings")
    import django

    django.setup()
