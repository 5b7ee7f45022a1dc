"""Django's development server (what `make dev` runs), refused on a reachable address
while DEBUG is on: the debug pages would show code and settings to anyone."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticRunserver
from django.core.management.base import CommandError

from levelup.lib.security import debug_bind_refusal


class Command(StaticRunserver):
    addr: str

    def run(self, **options: Any) -> None:
        # `handle` has parsed the address into `self.addr` ("0" means every address).
        refusal = debug_bind_refusal(self.addr, debug=settings.DEBUG)
        if refusal:
            raise CommandError(refusal)
        super().run(**options)
