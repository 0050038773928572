"""Readable order numbers, unique under concurrent submissions."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from orders.models import OrderNumberCounter


def next_order_number() -> str:
    """``CMD-<year>-<6 digits>``: the year's counter row is locked while the number is drawn.

    Must run inside the submitting transaction, so that a rolled-back submission
    gives its number back instead of leaving a gap or a duplicate.
    """
    assert transaction.get_connection().in_atomic_block, "draw numbers inside the submitting transaction"
    year = timezone.localdate().year
    # Create the year's row if needed without racing: a concurrent insert is ignored.
    OrderNumberCounter.objects.bulk_create([OrderNumberCounter(year=year, last_value=0)], ignore_conflicts=True)
    counter = OrderNumberCounter.objects.select_for_update().get(year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"CMD-{year}-{counter.last_value:06d}"
