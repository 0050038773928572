"""The SQL pieces the dashboard's aggregates need, on PostgreSQL and on SQLite (the tests' database)."""

from __future__ import annotations

import json
import math

from django.db.models import Aggregate, Field, FloatField, Func

SQLITE_PERCENTILES = "backoffice_percentiles"


class DaysBetween(Func):
    """``end - start`` in days, as a float."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 86400.0)", [*end[1], *start[1]]

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(expression) for expression in self.get_source_expressions())
        return f"(julianday({end[0]}) - julianday({start[0]}))", [*end[1], *start[1]]


class FloatListField(Field):
    """A list of floats as an aggregate returns it: an array on PostgreSQL, JSON text from SQLite."""

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str):
            value = json.loads(value)
        return None if value is None else [None if item is None else float(item) for item in value]


class Percentiles(Aggregate):
    """Continuous percentiles of a column (PostgreSQL's ``percentile_cont`` over an array of fractions: one sort
    for all of them), as a list: ``Percentiles("days", (0.5, 0.9))`` is [median, 90th percentile]."""

    output_field = FloatListField()

    def __init__(self, expression, fractions: tuple[float, ...], **extra):
        if not fractions or not all(0 <= fraction <= 1 for fraction in fractions):
            raise ValueError(f"percentiles are fractions in [0, 1]: {fractions}")
        self.fractions = tuple(float(fraction) for fraction in fractions)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        if self.filter is not None:
            raise NotImplementedError("Percentiles(filter=...) is not needed yet")
        sql, params = compiler.compile(self.get_source_expressions()[0])
        fractions = ", ".join(repr(fraction) for fraction in self.fractions)
        return f"percentile_cont(ARRAY[{fractions}]::float8[]) WITHIN GROUP (ORDER BY {sql})", params

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.filter is not None:
            raise NotImplementedError("Percentiles(filter=...) is not needed yet")
        sql, params = compiler.compile(self.get_source_expressions()[0])
        fractions = ",".join(repr(fraction) for fraction in self.fractions)
        return f"{SQLITE_PERCENTILES}({sql}, '{fractions}')", params


class _SqlitePercentiles:
    """percentile_cont for SQLite: linear interpolation between the two closest ranks, as JSON text."""

    def __init__(self):
        self.values: list[float] = []
        self.fractions: list[float] = []

    def step(self, value, fractions):
        if value is not None:
            self.values.append(float(value))
            self.fractions = [float(fraction) for fraction in fractions.split(",")]

    def finalize(self):
        if not self.values:
            return None
        return json.dumps([percentile_cont(self.values, fraction) for fraction in self.fractions])


def percentile_cont(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def register_sqlite_percentile(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_PERCENTILES, 2, _SqlitePercentiles)
