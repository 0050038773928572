"""The dashboard's figures: each one SQL query on indexed columns, kept in the cache for a few minutes.

Where each moment of an order lives:
* received: ``Order.submitted_at`` (set at every submission: a resubmitted order counts from its last one);
* validated: the ``OrderEvent`` whose ``to_status`` is « validated »;
* activated: ``Activation.created_at`` (opened by the validation) to ``Activation.done_at``;
* certificate sent: ``Certificate.sent_at``, after the order's activation.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from backoffice.aggregates import DaysBetween, Percentiles
from backoffice.models import LeadTimeMonth
from catalog.models import OrderType, label_in
from certificates.models import Certificate
from orders.models import Activation, ActivationStatus, Order, OrderEvent, OrderStatus

WEEKS = 12
MONTHS = 12
# Counts are of COUNT(*) or of a non-null column of the index read: counting the id, outside the index,
# makes PostgreSQL read every row.
# The backlog's age buckets, in calendar days since the (last) submission: (label, lower bound in days).
BACKLOG_BUCKETS = (
    ("lt1", _("Moins d'un jour"), 0),
    ("d1_2", _("1 à 2 jours"), 1),
    ("d2_5", _("2 à 5 jours"), 2),
    ("gt5", _("Plus de 5 jours"), 5),
)
STAGES = (
    ("validation", _("Soumise → validée")),
    ("activation", _("Validée → activée")),
    ("certificate", _("Activée → certificat envoyé")),
)
WAITING_ACTIVATION = (ActivationStatus.PENDING, ActivationStatus.NOTIFIED)


@dataclass(frozen=True)
class Period:
    """The dashboard's calendar, in the site's time zone: twelve weeks and twelve months up to ``now``."""

    now: datetime.datetime

    @property
    def weeks(self) -> list[datetime.date]:
        today = timezone.localdate(self.now)
        monday = today - datetime.timedelta(days=today.weekday())
        return [monday - datetime.timedelta(weeks=back) for back in range(WEEKS - 1, -1, -1)]

    @property
    def months(self) -> list[datetime.date]:
        today = timezone.localdate(self.now)
        months = []
        year, month = today.year, today.month
        for _back in range(MONTHS):
            months.append(datetime.date(year, month, 1))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return months[::-1]

    @staticmethod
    def start_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _local_date(value) -> datetime.date:
    # TruncWeek/TruncMonth give an aware datetime in the current time zone on PostgreSQL and SQLite alike.
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


def weekly_received(period: Period, language: str) -> dict:
    """Orders received per week and per order type: {"weeks": [date], "series": [(label, [count per week])]}."""
    weeks = period.weeks
    bounds = [period.start_of(week) for week in weeks] + [period.now]
    # One count per week, grouped by the type's id: an index-only scan of « order_submitted », each row
    # compared with the weeks' bounds (no time-zone conversion per row); the few types' labels apart.
    per_week = {
        f"week{position}": Count("submitted_at", filter=Q(submitted_at__gte=bounds[position],
                                                          submitted_at__lt=bounds[position + 1]))
        for position in range(len(weeks))
    }
    rows = (
        Order.objects.filter(submitted_at__gte=bounds[0], submitted_at__lt=bounds[-1])
        .values("order_type_id")
        .annotate(**per_week)
        .order_by()
    )
    types = {
        kind.pk: (kind.position, label_in(language, kind.label, kind.label_en))
        for kind in OrderType.objects.only("position", "label", "label_en")
    }
    series: dict[tuple, list[int]] = {}
    for row in list(rows):
        counts = series.setdefault(types.get(row["order_type_id"], (0, "")), [0] * len(weeks))
        for position in range(len(weeks)):
            counts[position] += row[f"week{position}"]
    return {"weeks": weeks, "series": [(label, counts) for (_pos, label), counts in sorted(series.items())]}


def backlog_by_age(period: Period) -> list[dict]:
    """The submitted orders waiting for review, by calendar days since their (last) submission."""
    bounds = [period.now - datetime.timedelta(days=days) for _key, _label, days in BACKLOG_BUCKETS]
    filters = {}
    for position, (key, _label, _days) in enumerate(BACKLOG_BUCKETS):
        older = Q(submitted_at__lte=bounds[position])
        if position + 1 < len(bounds):
            older &= Q(submitted_at__gt=bounds[position + 1])
        filters[key] = Count("submitted_at", filter=older)
    counts = Order.objects.filter(status=OrderStatus.SUBMITTED).aggregate(**filters)
    return [{"key": key, "label": str(label), "count": counts[key]} for key, label, _days in BACKLOG_BUCKETS]


def _stage_queries() -> dict:
    """Each stage's rows: (queryset, the column of its end, the column of its start)."""
    return {
        "validation": (
            OrderEvent.objects.filter(to_status=OrderStatus.VALIDATED, order__submitted_at__isnull=False),
            "created_at", "order__submitted_at",
        ),
        "activation": (Activation.objects.all(), "done_at", "created_at"),
        # The activation's end looked up per certificate (its unique order index): a join lets PostgreSQL
        # read every activation of three years for a month's certificates.
        # (No filter on it: the lookup would run twice; a certificate without an activation has no duration,
        # which the percentiles and the count leave out.)
        "certificate": (
            Certificate.objects.annotate(
                activated_at=Subquery(
                    Activation.objects.filter(order_id=OuterRef("order_id")).order_by().values("done_at")
                )
            ),
            "sent_at", "activated_at",
        ),
    }


def _count_stage(stage: str, since: datetime.datetime, until: datetime.datetime | None) -> dict:
    """{month: (median, p90, count)} of one stage for the months from ``since`` (to ``until``): one query."""
    queryset, end, start = _stage_queries()[stage]
    rows = queryset.filter(**{f"{end}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{end}__lt": until})
    rows = (
        rows.annotate(month=TruncMonth(end), days=DaysBetween(end, start))
        .values("month")
        .annotate(percentiles=Percentiles("days", (0.5, 0.9)), count=Count("days"))
        .order_by()
    )
    return {
        _local_date(row["month"]): (*(row["percentiles"] or (None, None)), row["count"])
        for row in rows
    }


def _count_current_month(stage: str, period: Period) -> tuple:
    """(median, p90, count) of one stage for the current month: one query, no grouping (one month)."""
    queryset, end, start = _stage_queries()[stage]
    current = period.months[-1]
    following = (current + datetime.timedelta(days=32)).replace(day=1)
    found = queryset.filter(
        **{f"{end}__gte": period.start_of(current), f"{end}__lt": period.start_of(following)}
    ).aggregate(percentiles=Percentiles(DaysBetween(end, start), (0.5, 0.9)), count=Count(DaysBetween(end, start)))
    return (*(found["percentiles"] or (None, None)), found["count"])


def closed_months(period: Period) -> dict[tuple[str, datetime.date], tuple]:
    """The figures of the closed months, counted the first time they are asked for and kept (``LeadTimeMonth``).

    The nightly ``backoffice.tasks.keep_closed_months`` asks first: on the 1st of a month, nobody waits the
    seconds a million orders take to count the month just closed."""
    closed = period.months[:-1]
    kept = {
        (row.stage, row.month): (row.median, row.p90, row.count)
        for row in LeadTimeMonth.objects.filter(month__gte=closed[0], month__lte=closed[-1])
    }
    for stage, _label in STAGES:
        missing = [month for month in closed if (stage, month) not in kept]
        if not missing:
            continue
        counted = _count_stage(stage, period.start_of(missing[0]), period.start_of(period.months[-1]))
        rows = [
            LeadTimeMonth(stage=stage, month=month, median=figures[0], p90=figures[1], count=figures[2])
            for month in missing
            for figures in [counted.get(month, (None, None, 0))]
        ]
        LeadTimeMonth.objects.bulk_create(rows, ignore_conflicts=True)
        kept.update({(row.stage, row.month): (row.median, row.p90, row.count) for row in rows})
    return kept


def lead_times(period: Period) -> dict:
    """Per stage and month (of the stage's end): the median and the 90th percentile, in days.

    The closed months come from ``LeadTimeMonth`` (one query once they are all kept); the current month is
    counted live, one query per stage on its few weeks of rows.
    """
    kept = closed_months(period)
    current = period.months[-1]
    stages = []
    for stage, label in STAGES:
        live = _count_current_month(stage, period)
        figures = {month: kept.get((stage, month), (None, None, 0)) for month in period.months[:-1]}
        figures[current] = live
        stages.append({
            "key": stage,
            "label": str(label),
            "months": [
                {"month": month, "median": figures[month][0], "p90": figures[month][1], "count": figures[month][2]}
                for month in period.months
            ],
        })
    return {"months": period.months, "stages": stages}


def activations_waiting(period: Period) -> dict:
    """The activations the cloud team has to do or that are blocked, and the age of the oldest of each."""
    waiting = Q(status__in=WAITING_ACTIVATION)
    blocked = Q(status=ActivationStatus.BLOCKED)
    # One IN list (not an OR of two conditions): an index-only scan of « activation_status_age ».
    found = Activation.objects.filter(status__in=[*WAITING_ACTIVATION, ActivationStatus.BLOCKED]).aggregate(
        todo=Count("created_at", filter=waiting),
        blocked=Count("created_at", filter=blocked),
        oldest_todo=Min("created_at", filter=waiting),
        oldest_blocked=Min("created_at", filter=blocked),
    )
    return {
        "todo": found["todo"],
        "blocked": found["blocked"],
        "oldest_todo": found["oldest_todo"],
        "oldest_blocked": found["oldest_blocked"],
        "oldest_todo_days": _days_since(found["oldest_todo"], period.now),
        "oldest_blocked_days": _days_since(found["oldest_blocked"], period.now),
    }


def _days_since(moment: datetime.datetime | None, now: datetime.datetime) -> int | None:
    return None if moment is None else max(0, (now - moment).days)


SECTIONS = {
    "sales": lambda period, language: {
        "weekly": weekly_received(period, language),
        "backlog": backlog_by_age(period),
        "lead_times": lead_times(period),
    },
    "activations": lambda period, language: activations_waiting(period),
}


@contextmanager
def _without_jit():
    """PostgreSQL compiles a query it guesses costly (the certificates' per-row lookup) to machine code first:
    some 100 ms for queries that take a few tens. Off for the dashboard's queries only."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def cache_key(section: str, language: str) -> str:
    return f"backoffice:dashboard:{section}:{language}"


def dashboard_section(section: str, *, now: datetime.datetime | None = None) -> dict:
    """One part of the dashboard (« sales » or « activations »), from the cache when counted a moment ago."""
    language = get_language() or settings.LANGUAGE_CODE
    key = cache_key(section, language)
    found = cache.get(key)
    if found is None:
        with _without_jit():
            found = SECTIONS[section](Period(now or timezone.now()), language)
        found["counted_at"] = now or timezone.now()
        cache.set(key, found, settings.BACKOFFICE_DASHBOARD_CACHE_SECONDS)
    return found
