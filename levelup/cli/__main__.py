"""`python -m levelup.cli` runs the `levelup` command (used by tests and benchmarks)."""

from __future__ import annotations

from levelup.cli.main import main

main()
