"""The roadmap document: one set of Pydantic models for files, API and imports.

A roadmap is authored as YAML, validated here, and stored as JSON. The models
check shape and types; `levelup.roadmaps.validation` adds the rules that need
the whole document (windows, duplicate slugs, references, cycles).

Item keys are the stable identities learners' progress hangs on:
`topic:<slug>`, `topic:<slug>/<subtopic>`, `project:<slug>`, `checkpoint:<slug>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=80),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)]
Month = Annotated[int, Field(ge=1, le=240)]
Hours = Annotated[float, Field(ge=0, le=10000)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]
ItemKey = Annotated[str, StringConstraints(min_length=3, max_length=200)]


ResourceKind = Literal["article", "book", "course", "documentation", "practice", "video", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Resource(_Model):
    """A link worth reading for a topic or subtopic."""

    title: Text
    url: Url | None = None
    kind: ResourceKind = "other"


class Source(_Model):
    """Where a roadmap's facts come from."""

    name: Text
    url: Url | None = None


class Prerequisite(_Model):
    """Something a learner should have before starting (the onboarding checklist)."""

    slug: Slug
    title: Text | None = None
    text: Text


class HowToStep(_Model):
    """One step of the author's advice on how to use the roadmap."""

    slug: Slug
    title: Text | None = None
    text: Text


class Subtopic(_Model):
    """One thing to learn inside a topic; shares its topic's month window."""

    slug: Slug
    title: Text
    effort_hours: Hours | None = Field(
        default=None, description="Estimated hours; derived from the windows when omitted."
    )
    prerequisites: tuple[ItemKey, ...] = Field(
        default=(), description="Item keys that should be done first."
    )
    resources: tuple[Resource, ...] = ()
    renamed_from: tuple[ItemKey, ...] = Field(
        default=(),
        description="Keys this item had in earlier versions; learners' progress on them moves here.",
    )


class Topic(_Model):
    """A trackable unit of study with a month window (`topic:<slug>`)."""

    slug: Slug
    title: Text
    summary: LongText = ""
    month_start: Month
    month_end: Month
    category: Slug | None = Field(
        default=None, description="Schedule category; weekly_schedule.topic_category when omitted."
    )
    effort_hours: Hours | None = Field(
        default=None, description="Estimated hours; derived from the windows when omitted."
    )
    prerequisites: tuple[ItemKey, ...] = Field(
        default=(), description="Item keys that should be done first."
    )
    resources: tuple[Resource, ...] = ()
    subtopics: tuple[Subtopic, ...] = ()
    renamed_from: tuple[ItemKey, ...] = Field(
        default=(),
        description="Keys this item had in earlier versions; learners' progress on them moves here.",
    )


class Section(_Model):
    """A group of related topics inside a phase."""

    slug: Slug
    title: Text
    summary: LongText = ""
    topics: tuple[Topic, ...] = Field(min_length=1)


class Phase(_Model):
    """A stretch of the roadmap; phases may overlap in time."""

    slug: Slug
    title: Text
    month_start: Month
    month_end: Month
    focus: Text
    summary: LongText = ""
    key_skills: tuple[Text, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)


class ProjectLevel(_Model):
    """A difficulty level that groups projects, with its own month window."""

    slug: Slug
    title: Text
    month_start: Month
    month_end: Month


class Project(_Model):
    """Hands-on work that applies topics (`project:<slug>`)."""

    slug: Slug
    title: Text
    level: Slug
    month_start: Month
    month_end: Month
    description: LongText
    category: Slug | None = Field(
        default=None,
        description="Schedule category; weekly_schedule.project_category when omitted.",
    )
    effort_hours: Hours | None = Field(
        default=None, description="Estimated hours; derived from the windows when omitted."
    )
    related_topics: tuple[Slug, ...] = Field(
        default=(), description="Slugs of the topics the project applies."
    )
    prerequisites: tuple[ItemKey, ...] = Field(
        default=(), description="Item keys that should be done first."
    )
    renamed_from: tuple[ItemKey, ...] = Field(
        default=(),
        description="Keys this item had in earlier versions; learners' progress on them moves here.",
    )


class Requirement(_Model):
    """How a checkpoint criterion is evidenced.

    `items`: at least `minimum` of the named items done (all of them when
    `minimum` is omitted). `evidence`: no item proves it; the learner attaches
    evidence and a mentor judges.
    """

    kind: Literal["items", "evidence"]
    items: tuple[ItemKey, ...] = Field(
        default=(), description="Item keys that evidence the criterion (kind items)."
    )
    minimum: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="How many of the items must be done; all when omitted."
    )


class Criterion(_Model):
    """One statement a learner must make true to pass a checkpoint."""

    slug: Slug
    text: Text
    requirement: Requirement


class Checkpoint(_Model):
    """A milestone at a month, judged by its criteria (`checkpoint:<slug>`)."""

    slug: Slug
    month: Month
    title: Text
    summary: LongText = ""
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    renamed_from: tuple[ItemKey, ...] = Field(
        default=(),
        description="Keys this item had in earlier versions; learners' progress on them moves here.",
    )


class ScheduleCategory(_Model):
    """A kind of study time with its weekly target range."""

    slug: Slug
    title: Text
    min_hours: Hours
    max_hours: Hours
    description: LongText = ""


class WeeklySchedule(_Model):
    """The recommended week: total hours, hours per category, practice problems."""

    min_hours: Hours
    max_hours: Hours
    categories: tuple[ScheduleCategory, ...] = Field(min_length=1)
    topic_category: Slug = Field(description="The category study of topics counts towards.")
    project_category: Slug = Field(description="The category project work counts towards.")
    practice_problems_min: Annotated[int, Field(ge=0)] = 0
    practice_problems_max: Annotated[int, Field(ge=0)] = 0


class RoutineSlot(_Model):
    """A recurring study slot of the recommended daily routine."""

    slot: Slug
    title: Text
    days: Literal["weekdays", "weekend", "every-day"]
    min_hours: Hours
    max_hours: Hours
    activity: Text
    default_time: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "19:00"


class Book(_Model):
    """A recommended book."""

    title: Text
    authors: tuple[Text, ...] = Field(min_length=1)
    url: Url | None = None


class Platform(_Model):
    """A recommended site, grouped by kind."""

    name: Text
    kind: Literal["courses", "practice", "documentation", "communities", "other"]
    url: Url | None = None


class Resources(_Model):
    """Roadmap-wide reading and learning places."""

    books: tuple[Book, ...] = ()
    platforms: tuple[Platform, ...] = ()


class Certification(_Model):
    """A certification that fits the roadmap, with the topics it draws on."""

    slug: Slug
    title: Text
    issuer: Text | None = None
    optional: bool = True
    related_topics: tuple[Slug, ...] = ()


class SuccessMetrics(_Model):
    """What a senior engineer is judged on, technical and soft skills."""

    technical: tuple[Text, ...] = ()
    soft: tuple[Text, ...] = ()


ItemKind = Literal["topic", "subtopic", "project", "checkpoint"]


@dataclass(frozen=True, slots=True)
class ItemRef:
    """A flattened view of one trackable item, for lookups and progress."""

    key: str
    kind: ItemKind
    title: str
    month_start: int
    month_end: int
    phase: str | None
    section: str | None
    parent: str | None
    effort_hours: float | None
    category: str | None


class RoadmapDocument(_Model):
    """A whole roadmap. `version` is the author's label; the store numbers versions itself."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="levelup roadmap")

    schema_version: Literal[1] = 1
    slug: Slug
    title: Text
    summary: LongText
    duration_months: Annotated[int, Field(ge=1, le=240)]
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="The author's label; the server numbers stored versions itself."
    )
    source: Source | None = None
    licence: Annotated[str, StringConstraints(max_length=200)] = ""
    prerequisites: tuple[Prerequisite, ...] = ()
    how_to_use: tuple[HowToStep, ...] = ()
    phases: tuple[Phase, ...] = Field(min_length=1)
    project_levels: tuple[ProjectLevel, ...] = ()
    projects: tuple[Project, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    weekly_schedule: WeeklySchedule
    daily_routine: tuple[RoutineSlot, ...] = ()
    resources: Resources = Resources()
    certifications: tuple[Certification, ...] = ()
    success_metrics: SuccessMetrics = SuccessMetrics()

    # --- derived views (not part of the stored document) -------------------

    def iter_items(self) -> Iterator[ItemRef]:
        """Every trackable item in the author's order.

        Topics, each followed by its subtopics, then projects, then checkpoints.
        """
        schedule = self.weekly_schedule
        for phase in self.phases:
            for section in phase.sections:
                for topic in section.topics:
                    key = f"topic:{topic.slug}"
                    yield ItemRef(
                        key=key,
                        kind="topic",
                        title=topic.title,
                        month_start=topic.month_start,
                        month_end=topic.month_end,
                        phase=phase.slug,
                        section=section.slug,
                        parent=None,
                        effort_hours=topic.effort_hours,
                        category=topic.category or schedule.topic_category,
                    )
                    for sub in topic.subtopics:
                        yield ItemRef(
                            key=f"{key}/{sub.slug}",
                            kind="subtopic",
                            title=sub.title,
                            month_start=topic.month_start,
                            month_end=topic.month_end,
                            phase=phase.slug,
                            section=section.slug,
                            parent=key,
                            effort_hours=sub.effort_hours,
                            category=topic.category or schedule.topic_category,
                        )
        for project in self.projects:
            yield ItemRef(
                key=f"project:{project.slug}",
                kind="project",
                title=project.title,
                month_start=project.month_start,
                month_end=project.month_end,
                phase=None,
                section=None,
                parent=None,
                effort_hours=project.effort_hours,
                category=project.category or schedule.project_category,
            )
        for checkpoint in self.checkpoints:
            yield ItemRef(
                key=f"checkpoint:{checkpoint.slug}",
                kind="checkpoint",
                title=checkpoint.title,
                month_start=checkpoint.month,
                month_end=checkpoint.month,
                phase=None,
                section=None,
                parent=None,
                effort_hours=None,
                category=None,
            )

    @cached_property
    def items(self) -> dict[str, ItemRef]:
        """Items by key. Computed once per document object."""
        return {item.key: item for item in self.iter_items()}

    @cached_property
    def topics(self) -> dict[str, Topic]:
        return {
            topic.slug: topic
            for phase in self.phases
            for section in phase.sections
            for topic in section.topics
        }

    def subtopic_keys(self, topic_key: str) -> tuple[str, ...]:
        topic = self.topics.get(topic_key.removeprefix("topic:"))
        if topic is None:
            return ()
        return tuple(f"{topic_key}/{sub.slug}" for sub in topic.subtopics)

    @cached_property
    def project_map(self) -> dict[str, Project]:
        return {project.slug: project for project in self.projects}

    @cached_property
    def checkpoint_map(self) -> dict[str, Checkpoint]:
        return {checkpoint.slug: checkpoint for checkpoint in self.checkpoints}

    def counts(self) -> dict[str, int]:
        """How much the roadmap holds, for summaries."""
        kinds = [item.kind for item in self.items.values()]
        return {
            "phases": len(self.phases),
            "topics": kinds.count("topic"),
            "subtopics": kinds.count("subtopic"),
            "projects": len(self.projects),
            "checkpoints": len(self.checkpoints),
            "criteria": sum(len(c.criteria) for c in self.checkpoints),
        }

    def renames(self) -> dict[str, str]:
        """Earlier item keys this document says were renamed: {old key: current key}."""
        found: dict[str, str] = {}
        for phase in self.phases:
            for section in phase.sections:
                for topic in section.topics:
                    key = f"topic:{topic.slug}"
                    found.update(dict.fromkeys(topic.renamed_from, key))
                    for sub in topic.subtopics:
                        # A renamed topic takes its subtopics' old keys along.
                        for old_topic in topic.renamed_from:
                            found.setdefault(f"{old_topic}/{sub.slug}", f"{key}/{sub.slug}")
                        found.update(dict.fromkeys(sub.renamed_from, f"{key}/{sub.slug}"))
        for project in self.projects:
            found.update(dict.fromkeys(project.renamed_from, f"project:{project.slug}"))
        for checkpoint in self.checkpoints:
            found.update(dict.fromkeys(checkpoint.renamed_from, f"checkpoint:{checkpoint.slug}"))
        return found

    def phase_of(self, item_key: str) -> Phase | None:
        item = self.items.get(item_key)
        if item is None or item.phase is None:
            return None
        return next(p for p in self.phases if p.slug == item.phase)


def canonical_data(document: RoadmapDocument) -> dict[str, Any]:
    """The document as stored: JSON data without empty `renamed_from` lists.

    `renamed_from` came after documents were first stored; leaving the empty
    lists out keeps the content hash of every earlier version unchanged.
    """

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not (k == "renamed_from" and not v)}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    data: dict[str, Any] = strip(document.model_dump(mode="json"))
    return data
