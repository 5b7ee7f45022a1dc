"""The built-in roadmap encodes every fact of the reference roadmap."""

from __future__ import annotations

import pytest

from levelup.roadmaps.files import validate_file
from levelup.roadmaps.schema import RoadmapDocument
from tests.roadmaps.conftest import BUILTIN_FILE

# (phase title, months, key skills) from the roadmap overview.
PHASES = [
    ("Foundation Strengthening", 1, 6, ["Data Structures", "OOP", "Web Fundamentals"]),
    ("Backend Core Technologies", 3, 9, ["Node.js", "Databases", "REST APIs"]),
    ("DevOps & Infrastructure", 7, 12, ["AWS", "Docker", "Kubernetes", "CI/CD"]),
    ("Advanced Architecture", 10, 18, ["Microservices", "System Design"]),
    ("Leadership & Senior Skills", 16, 24, ["Mentoring", "Business Acumen"]),
]

# (section, topic title, months, number of subtopics), in the reference's order.
TOPICS = [
    ("Core Programming & Computer Science", "Data Structures & Algorithms", 1, 2, 6),
    ("Core Programming & Computer Science", "Object-Oriented Programming", 2, 3, 5),
    ("Web Fundamentals", "HTML/CSS Refresher", 1, 1, 4),
    ("Node.js Mastery", "Advanced Node.js", 3, 5, 6),
    ("Node.js Mastery", "Express.js & Framework Patterns", 4, 6, 6),
    ("Database & Data Management", "MongoDB Deep Dive", 5, 7, 6),
    ("Database & Data Management", "SQL Fundamentals", 6, 7, 5),
    ("API Development", "RESTful API Mastery", 6, 8, 6),
    ("API Development", "API Security", 7, 8, 6),
    ("Version Control & Collaboration", "Advanced Git", 7, 7, 5),
    ("Cloud Infrastructure", "AWS Fundamentals", 8, 10, 5),
    ("Cloud Infrastructure", "Containerization", 9, 11, 5),
    ("Cloud Infrastructure", "Kubernetes Basics", 10, 12, 5),
    ("CI/CD Pipeline", "DevOps Practices", 11, 12, 5),
    ("Microservices Architecture", "Microservices Fundamentals", 12, 15, 5),
    ("Microservices Architecture", "Message Queues & Event-Driven Architecture", 13, 16, 4),
    ("System Design & Scalability", "System Design", 15, 18, 5),
    ("Code Quality & Architecture", "Advanced Software Architecture", 16, 20, 5),
    ("Team Leadership", "Mentoring & Communication", 18, 24, 5),
    ("Business Understanding", "Product & Business Acumen", 20, 24, 5),
]

PROJECTS = {
    "beginner": ["REST API with Authentication", "E-commerce Backend", "Blog Platform API"],
    "intermediate": [
        "Microservices Chat Application",
        "CI/CD Pipeline Setup",
        "Dockerized Application",
    ],
    "advanced": [
        "Event-Driven E-commerce Platform",
        "Monitoring & Observability Setup",
        "Performance Optimization Project",
    ],
    "senior": [
        "Architecture Design Document",
        "Team Mentoring Program",
        "Technical Leadership Project",
    ],
}
LEVEL_WINDOWS = {
    "beginner": (1, 6),
    "intermediate": (6, 12),
    "advanced": (12, 18),
    "senior": (18, 24),
}

CRITERIA = {
    "month-6": [
        "Can implement complex algorithms efficiently",
        "Comfortable with Node.js and Express.js",
        "Built 2-3 complete REST APIs",
        "Understanding of database design",
    ],
    "month-12": [
        "Proficient with cloud services (AWS)",
        "Experience with Docker and basic Kubernetes",
        "Built microservices-based application",
        "Set up CI/CD pipeline",
    ],
    "month-18": [
        "Can design scalable systems",
        "Experience with monitoring and observability",
        "Led technical discussions and code reviews",
        "Mentored junior developers",
    ],
    "month-24": [
        "Architectural decision-making capability",
        "Strong business and product understanding",
        "Effective technical communication",
        "Team leadership experience",
    ],
}


@pytest.fixture(scope="module")
def doc() -> RoadmapDocument:
    report = validate_file(BUILTIN_FILE)
    assert report.errors == []
    assert report.document is not None
    return report.document


def test_the_builtin_file_validates_without_errors_or_warnings() -> None:
    report = validate_file(BUILTIN_FILE)
    assert report.ok
    assert report.errors == []
    assert report.warnings == []


def test_it_holds_the_counts_the_issue_asks_for(doc: RoadmapDocument) -> None:
    assert doc.counts() == {
        "phases": 5,
        "topics": 20,
        "subtopics": 104,
        "projects": 12,
        "checkpoints": 4,
        "criteria": 16,
    }


def test_metadata_names_the_source_and_its_licence(doc: RoadmapDocument) -> None:
    assert doc.slug == "backend-junior-to-senior"
    assert doc.duration_months == 24
    assert doc.version
    assert doc.licence == "MIT"
    assert doc.source is not None
    assert "Junior to Senior Backend Engineer Roadmap" in doc.source.name


def test_phases_have_the_reference_month_ranges_focus_and_key_skills(doc: RoadmapDocument) -> None:
    got = [(p.focus, p.month_start, p.month_end, list(p.key_skills)) for p in doc.phases]
    assert got == PHASES


def test_every_topic_has_its_section_window_and_subtopics(doc: RoadmapDocument) -> None:
    got = [
        (section.title, topic.title, topic.month_start, topic.month_end, len(topic.subtopics))
        for phase in doc.phases
        for section in phase.sections
        for topic in section.topics
    ]
    assert got == TOPICS
    assert sum(row[4] for row in TOPICS) == 104


def test_subtopic_titles_carry_over_from_the_reference(doc: RoadmapDocument) -> None:
    dsa = doc.topics["data-structures-algorithms"]
    assert [s.title for s in dsa.subtopics] == [
        "Arrays, Linked Lists, Stacks, Queues",
        "Trees, Graphs, Hash Tables",
        "Sorting algorithms (Quick, Merge, Heap)",
        "Search algorithms (Binary search, BFS, DFS)",
        "Time/Space complexity analysis",
        "Practice on LeetCode/HackerRank (3-4 problems/week)",
    ]
    assert "topic:advanced-nodejs/event-loop" in doc.items


def test_every_topic_has_a_fresh_summary(doc: RoadmapDocument) -> None:
    assert all(len(topic.summary) > 40 for topic in doc.topics.values())


def test_projects_come_in_four_levels_with_their_windows(doc: RoadmapDocument) -> None:
    levels = {lv.slug: (lv.month_start, lv.month_end) for lv in doc.project_levels}
    assert levels == LEVEL_WINDOWS
    by_level: dict[str, list[str]] = {}
    for project in doc.projects:
        by_level.setdefault(project.level, []).append(project.title)
        assert (project.month_start, project.month_end) == LEVEL_WINDOWS[project.level]
        assert project.description
        assert project.related_topics, project.slug
    assert by_level == PROJECTS


def test_checkpoints_sit_at_months_6_12_18_24_with_their_criteria(doc: RoadmapDocument) -> None:
    assert [(c.slug, c.month) for c in doc.checkpoints] == [
        ("month-6", 6),
        ("month-12", 12),
        ("month-18", 18),
        ("month-24", 24),
    ]
    assert {c.slug: [k.text for k in c.criteria] for c in doc.checkpoints} == CRITERIA


def test_criteria_are_linked_to_the_items_that_evidence_them(doc: RoadmapDocument) -> None:
    criteria = {k.text: k.requirement for c in doc.checkpoints for k in c.criteria}
    apis = criteria["Built 2-3 complete REST APIs"]
    assert apis.kind == "items"
    assert set(apis.items) == {
        "project:rest-api-with-auth",
        "project:ecommerce-backend",
        "project:blog-platform-api",
    }
    assert apis.minimum == 2
    assert criteria["Mentored junior developers"].kind == "evidence"
    algorithms = criteria["Can implement complex algorithms efficiently"]
    assert "topic:data-structures-algorithms" in algorithms.items
    assert any(key.startswith("topic:data-structures-algorithms/") for key in algorithms.items)
    for requirement in criteria.values():
        for key in requirement.items:
            assert doc.items[key].kind in {"topic", "subtopic", "project"}


def test_weekly_schedule_is_10_to_15_hours_in_three_categories(doc: RoadmapDocument) -> None:
    schedule = doc.weekly_schedule
    assert (schedule.min_hours, schedule.max_hours) == (10, 15)
    assert [(c.slug, c.title, c.min_hours, c.max_hours) for c in schedule.categories] == [
        ("theory", "Theory & Learning", 6, 8),
        ("projects", "Practical Projects", 4, 6),
        ("review", "Code Review & Community", 2, 3),
    ]
    assert (schedule.topic_category, schedule.project_category) == ("theory", "projects")
    assert (schedule.practice_problems_min, schedule.practice_problems_max) == (3, 4)


def test_daily_routine_has_morning_evening_and_weekend(doc: RoadmapDocument) -> None:
    got = [(s.slot, s.days, s.min_hours, s.max_hours, s.default_time) for s in doc.daily_routine]
    assert got == [
        ("morning", "weekdays", 1, 1, "07:00"),
        ("evening", "weekdays", 1, 2, "19:00"),
        ("weekend", "weekend", 4, 6, "10:00"),
    ]


def test_resources_certifications_and_success_metrics(doc: RoadmapDocument) -> None:
    books = {b.title: list(b.authors) for b in doc.resources.books}
    assert books == {
        "Clean Code": ["Robert Martin"],
        "System Design Interview": ["Alex Xu"],
        "Designing Data-Intensive Applications": ["Martin Kleppmann"],
        "Node.js Design Patterns": ["Mario Casciaro"],
    }
    platforms: dict[str, list[str]] = {}
    for platform in doc.resources.platforms:
        platforms.setdefault(platform.kind, []).append(platform.name)
    assert platforms == {
        "courses": ["Udemy", "Coursera", "Pluralsight"],
        "practice": ["LeetCode", "HackerRank", "System Design Primer"],
        "documentation": ["MDN", "Node.js docs", "AWS docs"],
        "communities": ["Stack Overflow", "Reddit r/node", "Dev.to"],
    }
    assert [c.title for c in doc.certifications] == [
        "AWS Certified Developer - Associate",
        "MongoDB Certified Developer",
        "Kubernetes Application Developer (CKAD)",
    ]
    assert all(c.related_topics for c in doc.certifications)
    assert len(doc.success_metrics.technical) == 4
    assert len(doc.success_metrics.soft) == 4


def test_prerequisites_and_how_to_use_steps(doc: RoadmapDocument) -> None:
    assert [p.title for p in doc.prerequisites] == [
        "Basic Programming Knowledge",
        "Basic Backend Concepts",
        "Development Environment",
        "Time Commitment",
        "Mindset",
    ]
    assert len(doc.how_to_use) == 7
    assert doc.how_to_use[0].title == "Assess Your Current Level"
