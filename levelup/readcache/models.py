"""One counter per enrollment that every write to the enrollment's data moves on."""

from __future__ import annotations

from django.db import models


class EnrollmentStamp(models.Model):
    """How many times the enrollment's own data has changed.

    Written only by database triggers (see `stamps.py`) on every insert, update and
    delete of a row that belongs to the enrollment, whatever wrote it: services,
    bulk imports, `QuerySet.update()`, the admin, raw SQL. Deliberately not a
    foreign key and not a field of Enrollment: a cascade deleting an enrollment's
    rows must not trip over it, and `Enrollment.save()` must never write back a
    stale value.
    """

    enrollment_id = models.BigIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"enrollment {self.enrollment_id} at version {self.version}"
