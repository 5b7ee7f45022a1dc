"""Learner commands: talk to a levelup server over its API."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the learner commands to the top-level app."""
