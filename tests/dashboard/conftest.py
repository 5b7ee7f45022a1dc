"""The dashboard's tests use the learner journey's fixtures: the tiny roadmap and alice."""

from __future__ import annotations

from tests.progress.conftest import enrollment, tiny

__all__ = ["enrollment", "tiny"]
