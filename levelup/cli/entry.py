"""The `levelup` command's entry point: help from the saved copy, else Typer.

Kept apart from `levelup.cli.main` so that a help request does not import
Typer, Rich or the command modules when a saved rendering is current.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    args = sys.argv[1:]
    completing = any(name.endswith("_COMPLETE") for name in os.environ)
    if not completing and os.environ.get("LEVELUP_HELP_CACHE", "1") != "0":
        from levelup.cli.fasthelp import is_help_request, run

        if is_help_request(args):
            run(args, _typer_main)
            return
    _typer_main()


def _typer_main() -> None:
    from levelup.cli.main import main as typer_main

    typer_main()
