"""`python -m levelup.cli` runs the `levelup` command (used by tests and benchmarks)."""

from __future__ import annotations

from levelup.cli.entry import main

main()
