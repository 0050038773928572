"""The SQL pieces the dashboard's aggregates need, on PostgreSQL and on SQLite (the tests' database)."""

from __future__ import annotations

import math

from django.db.models import Aggregate, FloatField, Func

SQLITE_PERCENTILE = "backoffice_percentile"


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


class Percentile(Aggregate):
    """The continuous percentile of a column (PostgreSQL's ``percentile_cont``): the median at 0.5."""

    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError(f"a percentile is a fraction in [0, 1]: {fraction}")
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        filter_sql = ""
        filter_params: list = []
        if self.filter is not None:
            filter_sql, filter_params = compiler.compile(self.filter)
            filter_sql = f" FILTER (WHERE {filter_sql})"
        return (
            f"percentile_cont({self.fraction!r}) WITHIN GROUP (ORDER BY {sql}){filter_sql}",
            [*params, *filter_params],
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.filter is not None:
            raise NotImplementedError("Percentile(filter=...) is written for PostgreSQL only")
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"{SQLITE_PERCENTILE}({sql}, {self.fraction!r})", params


class _SqlitePercentile:
    """percentile_cont for SQLite: linear interpolation between the two closest ranks."""

    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        if value is not None:
            self.values.append(float(value))
            self.fraction = float(fraction)

    def finalize(self):
        return percentile_cont(self.values, self.fraction)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def register_sqlite_percentile(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_PERCENTILE, 2, _SqlitePercentile)
