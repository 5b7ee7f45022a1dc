"""Nothing a learner owns may be forgotten by export and delete.

`uncovered` walks every model Django knows: one with a foreign key to the user, or to a
model the archive covers, must be in `KINDS` (exported, imported, deleted) or in
`NOT_EXPORTED` (with the reason). A new model from another app fails this test until it
is added to `levelup/datatransfer/registry.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from levelup.accounts.models import User
from levelup.datatransfer.registry import KINDS, NOT_EXPORTED, USER_REFERENCES
from levelup.progress.models import Enrollment


def uncovered(all_models: Iterable[type[models.Model]]) -> list[str]:
    """Models holding a user's rows that neither list names."""
    all_models = list(all_models)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    covered = {k.model_label for k in KINDS}
    owned: set[type[models.Model]] = {user_model} | {k.model for k in KINDS}
    missing = []
    for model in all_models:
        label = model._meta.label
        if model is user_model or model._meta.auto_created or label in NOT_EXPORTED:
            continue
        links = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation
            and f.related_model in owned
            and f"{label}.{f.name}" not in USER_REFERENCES
        ]
        if links and label not in covered:
            missing.append(label)
    return missing


def test_every_model_with_a_user_foreign_key_is_covered_by_export_and_delete() -> None:
    assert uncovered(apps.get_models()) == []


def test_every_kind_reaches_its_owner_through_the_path_it_names() -> None:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for kind in KINDS:
        model = kind.model
        for step in kind.owner.split("__"):
            model = model._meta.get_field(step).related_model  # type: ignore[assignment]
        assert model is user_model, kind.name


def test_kinds_come_after_the_kinds_they_point_to() -> None:
    position = {k.model: i for i, k in enumerate(KINDS)}
    for i, kind in enumerate(KINDS):
        for f in kind.model._meta.concrete_fields:
            if f.is_relation and f.related_model in position:
                assert position[f.related_model] < i, f"{kind.name}.{f.name}"


@isolate_apps("levelup.portfolio")
def test_a_new_model_owned_by_a_user_and_not_in_the_registry_is_reported() -> None:
    class Badge(models.Model):  # noqa: DJ008
        user = models.ForeignKey(User, on_delete=models.CASCADE)

        class Meta:
            app_label = "portfolio"

    class MentorNote(models.Model):  # noqa: DJ008
        enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE)

        class Meta:
            app_label = "portfolio"

    assert uncovered([*apps.get_models(), Badge, MentorNote]) == [
        "portfolio.Badge",
        "portfolio.MentorNote",
    ]
