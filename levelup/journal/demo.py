"""Demo data for the journal: about seven months of a believable learner's log.

`extend(enrollment)` is called by the progress app's demo builder. It is
deterministic (seeded by the enrollment id), runs from the enrollment's start (or
seven months back) to the learner's today, goes quiet during the enrollment's
pauses, and does nothing when the enrollment already has sessions.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from levelup.journal import validation as v
from levelup.journal.models import JournalEntry, PracticeProblem, StudySession
from levelup.progress.models import Enrollment, Pause
from levelup.roadmaps.schema import RoadmapDocument

DAYS = 213  # about seven months

LEETCODE = [
    ("Two Sum", "two-sum", "easy"),
    ("Valid Parentheses", "valid-parentheses", "easy"),
    ("Merge Two Sorted Lists", "merge-two-sorted-lists", "easy"),
    ("Best Time to Buy and Sell Stock", "best-time-to-buy-and-sell-stock", "easy"),
    ("Binary Search", "binary-search", "easy"),
    ("Climbing Stairs", "climbing-stairs", "easy"),
    ("Maximum Subarray", "maximum-subarray", "medium"),
    ("Group Anagrams", "group-anagrams", "medium"),
    ("Top K Frequent Elements", "top-k-frequent-elements", "medium"),
    ("Product of Array Except Self", "product-of-array-except-self", "medium"),
    (
        "Longest Substring Without Repeating Characters",
        "longest-substring-without-repeating-characters",
        "medium",
    ),
    ("Merge Intervals", "merge-intervals", "medium"),
    ("Number of Islands", "number-of-islands", "medium"),
    ("Course Schedule", "course-schedule", "medium"),
    ("Coin Change", "coin-change", "medium"),
    ("Rotting Oranges", "rotting-oranges", "medium"),
    ("Kth Largest Element in an Array", "kth-largest-element-in-an-array", "medium"),
    ("LRU Cache", "lru-cache", "medium"),
    ("Word Search", "word-search", "medium"),
    ("Trapping Rain Water", "trapping-rain-water", "hard"),
    ("Merge k Sorted Lists", "merge-k-sorted-lists", "hard"),
]
HACKERRANK = [
    ("Balanced Brackets", "balanced-brackets", "medium"),
    ("Sherlock and Anagrams", "sherlock-and-anagrams", "medium"),
    ("Hash Tables: Ransom Note", "ctci-ransom-note", "easy"),
    ("Queues: A Tale of Two Stacks", "ctci-queue-using-two-stacks", "medium"),
]

NOTES = {
    "theory": [
        "worked through the chapter and wrote a summary",
        "video course, two sections, took notes",
        "read the official docs and tried the examples",
        "re-did yesterday's exercises without looking",
        "",
    ],
    "projects": [
        "set up the repository, CI and a first endpoint",
        "wrote tests for the edge cases",
        "refactored the data access layer",
        "fixed a bug found while writing the README",
        "",
    ],
    "review": [
        "reviewed a friend's pull request",
        "answered a question on Stack Overflow",
        "meetup talk and notes",
        "weekly review of the journal",
        "",
    ],
}

ENTRY_BODIES = [
    "## What I learned\n\n{title} finally clicked today. The key idea: start from the smallest example "
    "that fails, then generalise.\n\n## What confused me\n\n- when to reach for it and when not to\n"
    "- how it behaves under load\n\n## Next\n\nBuild a tiny example and write down the numbers.",
    "Spent the week on **{title}**.\n\n1. Read two explanations and compared them\n"
    "2. Wrote the examples out by hand\n3. Explained it to a rubber duck\n\n"
    "> If I can't explain it simply, I don't understand it yet.\n\nStill shaky on the trade-offs.",
    "Short one: a bug in my project turned out to be about {title}. I wasted an hour before "
    "reading the error message properly. Lesson: read the `stack trace` from the top.",
    "Retrospective on {title}:\n\n| went well | to improve |\n| --- | --- |\n"
    "| steady mornings | skipped review twice |\n| finished the exercises | no write-up yet |\n",
]


def _items_for(document: RoadmapDocument, month: int, kind: str) -> list[str]:
    keys = [
        item.key
        for item in document.items.values()
        if item.kind == kind and item.month_start <= month <= item.month_end
    ]
    if keys:
        return keys
    # Past the roadmap's windows: anything of the kind will do.
    return [item.key for item in document.items.values() if item.kind == kind]


def _session(enrollment: Enrollment, **fields: object) -> StudySession:
    session = StudySession(enrollment=enrollment, **fields)
    session.fingerprint = v.session_fingerprint(
        date=session.date,
        start_time=session.start_time,
        minutes=session.minutes,
        category=session.category,
        item_key=session.item_key,
        note=session.note,
    )
    return session


def extend(enrollment: Enrollment) -> None:
    """Add ~7 months of sessions, practice problems and journal entries to a demo enrollment."""
    if StudySession.objects.filter(enrollment=enrollment).exists():
        return
    document = v.document_of(enrollment)
    schedule = document.weekly_schedule
    slugs = [c.slug for c in schedule.categories]
    topic_category = schedule.topic_category
    project_category = schedule.project_category
    other = [s for s in slugs if s not in (topic_category, project_category)]
    review_category = other[0] if other else topic_category
    # Seeded by what the enrollment is, not its database id (PostgreSQL's ids differ
    # from run to run), so the same demo gives the same history on every database.
    rng = random.Random(f"{enrollment.start_date}:{enrollment.study_days}")  # noqa: S311 - demo data
    today = v.learner_today(enrollment)
    # Follow the enrollment's own history when it has one (the progress demo starts
    # about seven months back); otherwise make up the last seven months.
    if enrollment.start_date <= today - dt.timedelta(days=30):
        first = enrollment.start_date
        last = min(today, first + dt.timedelta(days=DAYS))
    else:
        first, last = today - dt.timedelta(days=DAYS), today
    study_days = set(enrollment.study_days or range(7))
    review_day = 6 if 6 in study_days else max(study_days)
    # Practice belongs with the algorithms topic when the roadmap has one.
    practice_key = next(
        (
            key
            for key, item in document.items.items()
            if item.kind == "topic" and "algorithm" in key
        ),
        "",
    )

    sessions: list[StudySession] = []
    practice: list[tuple[PracticeProblem, StudySession]] = []
    entries: list[JournalEntry] = []
    # A realistic log has a lull: the enrollment's pauses if it has any, else one
    # quiet fortnight about three months in.
    pauses = list(Pause.objects.filter(enrollment=enrollment).values_list("start_date", "end_date"))
    if not pauses:
        pauses = [(first + dt.timedelta(days=95), first + dt.timedelta(days=108))]
    problems = LEETCODE + HACKERRANK

    day = first
    while day <= last:
        month = (day - first).days // 30 + 1
        topics = _items_for(document, month, "subtopic") or _items_for(document, month, "topic")
        projects = _items_for(document, month, "project")
        weekend = day.weekday() >= 5
        in_lull = any(start <= day <= (end or last) for start, end in pauses)
        studies = day.weekday() in study_days and rng.random() < (0.15 if in_lull else 0.85)
        if studies:
            if weekend:
                sessions.append(
                    _session(
                        enrollment,
                        date=day,
                        start_time=dt.time(10, 0),
                        minutes=rng.choice([120, 150, 180, 210]),
                        category=project_category,
                        item_key=rng.choice(projects) if projects else "",
                        note=rng.choice(NOTES["projects"]),
                    )
                )
            else:
                sessions.append(
                    _session(
                        enrollment,
                        date=day,
                        start_time=dt.time(7, rng.choice([0, 15, 30])),
                        minutes=rng.choice([45, 60, 75, 90]),
                        category=topic_category,
                        item_key=rng.choice(topics) if topics else "",
                        note=rng.choice(NOTES["theory"]),
                    )
                )
                if rng.random() < 0.6:
                    sessions.append(
                        _session(
                            enrollment,
                            date=day,
                            start_time=dt.time(20, 0),
                            minutes=rng.choice([30, 45, 60, 90]),
                            category=rng.choice(
                                [project_category, project_category, review_category]
                            ),
                            item_key=rng.choice(projects)
                            if projects and rng.random() < 0.6
                            else "",
                            note=rng.choice(NOTES["projects"]),
                        )
                    )
            # The week's review and community time, on the last study day of the week.
            if day.weekday() == review_day:
                sessions.append(
                    _session(
                        enrollment,
                        date=day,
                        start_time=dt.time(17, 30),
                        minutes=rng.choice([60, 90, 105, 120]),
                        category=review_category,
                        note=rng.choice(NOTES["review"]),
                    )
                )
            # About 3–4 practice problems a week, mostly on weekday mornings.
            if not in_lull and rng.random() < (0.35 if weekend else 0.55):
                title, slug, difficulty = rng.choice(problems)
                on_leetcode = (title, slug, difficulty) in LEETCODE
                minutes = rng.choice([15, 20, 25, 30, 40, 45])
                outcome = rng.choices(
                    ["solved", "solved_with_help", "not_solved"], weights=[6, 3, 1]
                )[0]
                session = _session(
                    enrollment,
                    date=day,
                    minutes=minutes,
                    category=topic_category,
                    item_key=practice_key,
                    note=f"Practice: {title}",
                )
                problem = PracticeProblem(
                    enrollment=enrollment,
                    date=day,
                    platform="leetcode" if on_leetcode else "hackerrank",
                    title=title,
                    url=(
                        f"https://leetcode.com/problems/{slug}/"
                        if on_leetcode
                        else f"https://www.hackerrank.com/challenges/{slug}/problem"
                    ),
                    difficulty=difficulty,
                    outcome=outcome,
                    minutes=minutes,
                    item_key=practice_key,
                )
                practice.append((problem, session))
        # A journal entry about every two weeks, on a Sunday.
        if day.weekday() == 6 and rng.random() < 0.55 and topics:
            key = rng.choice(topics)
            title = document.items[key].title
            entries.append(
                JournalEntry(
                    enrollment=enrollment,
                    date=day,
                    title=rng.choice(
                        [
                            f"{title}: what clicked",
                            f"{title}: notes",
                            f"Week review: {title}",
                        ]
                    ),
                    body=rng.choice(ENTRY_BODIES).format(title=title),
                    tags=(
                        tags := rng.sample(
                            ["til", "reading", "project", "struggle", "review", "win"], 2
                        )
                    ),
                    item_keys=[key],
                    tags_index="|" + "|".join(tags) + "|",
                    items_index=f"|{key}|",
                )
            )
        day += dt.timedelta(days=1)

    with transaction.atomic():
        StudySession.objects.bulk_create(sessions, batch_size=500)
        StudySession.objects.bulk_create([owned for _, owned in practice], batch_size=500)
        for problem, owned in practice:
            problem.session = owned
        PracticeProblem.objects.bulk_create([problem for problem, _ in practice], batch_size=500)
        JournalEntry.objects.bulk_create(entries, batch_size=200)
