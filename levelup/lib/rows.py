"""Hand-written SQL for the few statements every request runs.

The ORM spends most of a small query's time building its SQL (about 0.5 ms for the
token lookup with its user, measured with cProfile on PostgreSQL), and the token and
the read cache's fingerprint run on every API call. Their statements are written once
here, from the models' own table and column names so a new field is picked up, and the
rows are converted and turned into instances exactly as the ORM does.

Only for statements on the hot path; everything else stays in the ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Field, Model


@dataclass(frozen=True)
class Columns:
    """One model's concrete columns under a table alias, with the ORM's converters."""

    model: type[Model]
    alias: str
    # Columns left out (large ones read some other way); the instance has them deferred.
    without: tuple[str, ...] = ()

    @property
    def fields(self) -> list[Field[Any, Any]]:
        return [f for f in self.model._meta.concrete_fields if f.name not in self.without]

    def sql(self, using: str = "default") -> str:
        quote = connections[using].ops.quote_name
        return ", ".join(f"{self.alias}.{quote(str(f.column))}" for f in self.fields)

    def build(self, values: Sequence[Any], using: str = "default") -> Any:
        """An instance from this model's slice of a row, as the ORM would load it."""
        connection = connections[using]
        names, steps = _converters(self, using)
        converted = []
        for value, (col, convert) in zip(values, steps, strict=True):
            for step in convert:
                value = step(value, col, connection)
            converted.append(value)
        return self.model.from_db(using, names, converted)


def instances(row: Sequence[Any], *columns: Columns, using: str = "default") -> list[Any]:
    """One instance per `Columns`, from consecutive slices of a row selected with their
    `sql()` in the same order."""
    found, start = [], 0
    for part in columns:
        width = len(_converters(part, using)[0])
        found.append(part.build(row[start : start + width], using))
        start += width
    if start != len(row):
        raise ValueError(f"the row has {len(row)} columns; the models take {start}")
    return found


@functools.cache
def _converters(columns: Columns, using: str) -> tuple[list[str], list[tuple[Any, list[Any]]]]:
    """The attribute names and, per column, the backend's and the field's converters
    (a datetime from SQLite's text, a boolean from its integer), as the compiler finds them."""
    connection = connections[using]
    steps = []
    for f in columns.fields:
        col = f.get_col(columns.alias)
        steps.append(
            (col, [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)])
        )
    return [f.attname for f in columns.fields], steps


def table(model: type[Model], using: str = "default") -> str:
    return str(connections[using].ops.quote_name(model._meta.db_table))


def column(model: type[Model], name: str, using: str = "default") -> str:
    found = model._meta.get_field(name)
    assert isinstance(found, Field), f"{model.__name__}.{name} is not a column"
    return str(connections[using].ops.quote_name(str(found.column)))


def fetch(sql: str, params: Sequence[Any], using: str = "default") -> list[tuple[Any, ...]]:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
