"""Example roadmaps for the planner's tests, benchmark and docs.

`backend_roadmap` mirrors the shape of the built-in "Junior to Senior Backend Engineer"
roadmap (phases, windows, projects, checkpoints, weekly schedule) without depending on the
roadmap loader, so the planner can be exercised with no Django. The real built-in roadmap
lives in ``levelup/roadmaps/builtin``.
"""

from __future__ import annotations

import random

from levelup.planning.core import Category, PlanCheckpoint, PlanItem, PlanPhase, PlanRoadmap

BACKEND_CATEGORIES = (
    Category("theory", 6, 8),
    Category("projects", 4, 6),
    Category("review", 2, 3),
)

BACKEND_PHASES = (
    PlanPhase("foundations", "Foundations", 1, 6),
    PlanPhase("backend-core", "Backend core", 3, 9),
    PlanPhase("cloud-devops", "Cloud and DevOps", 7, 12),
    PlanPhase("architecture", "Architecture", 10, 18),
    PlanPhase("leadership", "Leadership", 16, 24),
)

# (slug, title, month_start, month_end, phase)
BACKEND_TOPICS = (
    ("dsa", "Data structures and algorithms", 1, 2, "foundations"),
    ("oop", "Object-oriented programming", 2, 3, "foundations"),
    ("html-css", "HTML and CSS", 1, 1, "foundations"),
    ("advanced-nodejs", "Advanced Node.js", 3, 5, "backend-core"),
    ("express", "Express", 4, 6, "backend-core"),
    ("mongodb", "MongoDB", 5, 7, "backend-core"),
    ("sql", "SQL", 6, 7, "backend-core"),
    ("rest", "REST API design", 6, 8, "backend-core"),
    ("api-security", "API security", 7, 8, "cloud-devops"),
    ("advanced-git", "Advanced Git", 7, 7, "cloud-devops"),
    ("aws", "AWS", 8, 10, "cloud-devops"),
    ("containerization", "Containerization", 9, 11, "cloud-devops"),
    ("kubernetes", "Kubernetes", 10, 12, "cloud-devops"),
    ("devops", "DevOps practices", 11, 12, "cloud-devops"),
    ("microservices", "Microservices", 12, 15, "architecture"),
    ("message-queues", "Message queues", 13, 16, "architecture"),
    ("system-design", "System design", 15, 18, "architecture"),
    ("advanced-architecture", "Advanced architecture", 16, 20, "leadership"),
    ("mentoring", "Mentoring", 18, 24, "leadership"),
    ("product", "Product thinking", 20, 24, "leadership"),
)

# (level, month_start, month_end, phase)
BACKEND_PROJECT_LEVELS = (
    ("beginner", 1, 6, "foundations"),
    ("intermediate", 6, 12, "cloud-devops"),
    ("advanced", 12, 18, "architecture"),
    ("senior", 18, 24, "leadership"),
)


def backend_roadmap(*, efforts: dict[str, float] | None = None) -> PlanRoadmap:
    """Return a roadmap shaped like the built-in backend one: 24 months, 32 items.

    Topics are keyed ``topic:<slug>`` (category ``theory``), projects
    ``project:<level>-<n>`` (category ``projects``), checkpoints ``checkpoint:month-<m>``.
    ``efforts`` optionally gives items their own effort hours by key.
    """
    given = efforts or {}
    topics = tuple(
        PlanItem(
            key=f"topic:{slug}",
            title=title,
            kind="topic",
            phase=phase,
            category="theory",
            month_start=start,
            month_end=end,
            effort_hours=given.get(f"topic:{slug}"),
        )
        for slug, title, start, end, phase in BACKEND_TOPICS
    )
    projects = tuple(
        PlanItem(
            key=f"project:{level}-{n}",
            title=f"{level.capitalize()} project {n}",
            kind="project",
            phase=phase,
            category="projects",
            month_start=start,
            month_end=end,
            effort_hours=given.get(f"project:{level}-{n}"),
        )
        for level, start, end, phase in BACKEND_PROJECT_LEVELS
        for n in (1, 2, 3)
    )
    checkpoints = tuple(
        PlanCheckpoint(f"checkpoint:month-{m}", f"Month {m} checkpoint", m) for m in (6, 12, 18, 24)
    )
    return PlanRoadmap(
        duration_months=24,
        min_weekly_hours=10,
        max_weekly_hours=15,
        categories=BACKEND_CATEGORIES,
        items=topics + projects,
        checkpoints=checkpoints,
        phases=BACKEND_PHASES,
    )


def generated_roadmap(items: int, months: int, *, seed: int = 1) -> PlanRoadmap:
    """Return a reproducible random roadmap with ``items`` items over ``months`` months.

    Windows are 1–4 months long, about 60% topics and 40% projects, one item in ten has its
    own effort (close to what its window would give), and items depend on up to two
    earlier items. Used by the benchmark.
    """
    # Not security-sensitive: a seeded generator keeps benchmark inputs reproducible.
    rng = random.Random(seed)  # noqa: S311
    phase_count = 5
    phase_length = max(1, months // phase_count)
    phases = tuple(
        PlanPhase(
            f"phase-{p + 1}",
            f"Phase {p + 1}",
            p * phase_length + 1,
            months if p == phase_count - 1 else (p + 1) * phase_length,
        )
        for p in range(phase_count)
    )
    # An own effort near what the windows would give, so a few explicit efforts shift the
    # plan a little instead of dwarfing the derived ones.
    nominal_month_hours = 12.5 * 12 / 14.5 * 52.1775 / 12
    typical_effort = nominal_month_hours * months / max(1, items) * 2.5
    result: list[PlanItem] = []
    for n in range(items):
        length = rng.randint(1, min(4, months))
        start = rng.randint(1, months - length + 1)
        topic = rng.random() < 0.6
        phase = phases[min(phase_count - 1, (start - 1) // phase_length)].slug
        prerequisites = tuple(
            result[rng.randrange(n)].key for _ in range(rng.randint(0, 2)) if n > 0
        )
        result.append(
            PlanItem(
                key=f"item-{n}",
                title=f"Item {n}",
                kind="topic" if topic else "project",
                phase=phase,
                category="theory" if topic else "projects",
                month_start=start,
                month_end=start + length - 1,
                effort_hours=round(typical_effort * rng.uniform(0.5, 1.5), 2)
                if rng.random() < 0.1
                else None,
                prerequisites=tuple(dict.fromkeys(prerequisites)),
            )
        )
    checkpoints = tuple(
        PlanCheckpoint(f"checkpoint:month-{m}", f"Month {m}", m) for m in range(6, months + 1, 6)
    )
    return PlanRoadmap(
        duration_months=months,
        min_weekly_hours=10,
        max_weekly_hours=15,
        categories=BACKEND_CATEGORIES,
        items=tuple(result),
        checkpoints=checkpoints,
        phases=phases,
    )
