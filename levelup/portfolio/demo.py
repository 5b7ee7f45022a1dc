"""The demo learner's portfolio: public, with progress, projects and study hours."""

from __future__ import annotations

from levelup.portfolio.services import portfolio_update
from levelup.progress.models import Enrollment


def extend(enrollment: Enrollment) -> None:
    portfolio_update(
        user=enrollment.user,
        enabled=True,
        headline="Seven months into the backend roadmap",
        sections={"progress": True, "projects": True, "hours": True, "reading": True},
    )
