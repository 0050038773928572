"""Reads of orders, each scoped to the user who asks."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from orders.models import Order, OrderStatus


def order_status_counts(*, user) -> dict[str, int]:
    """How many of the user's visible orders are in each status (one query)."""
    rows = Order.objects.visible_to(user).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(OrderStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def order_list(*, user) -> QuerySet[Order]:
    """The user's visible orders, newest first, with what a list row shows."""
    return (
        Order.objects.visible_to(user)
        .select_related("order_type", "generation", "solution", "site")
        .order_by("-created_at", "-id")
    )


def order_detail_queryset() -> QuerySet[Order]:
    """Orders with what the order page shows, lines and events prefetched."""
    return Order.objects.select_related(
        "partner", "created_by", "order_type", "origin", "generation", "solution", "site", "opportunity"
    ).prefetch_related("lines__reference", "events__actor")
