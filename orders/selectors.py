"""Reads of orders, each scoped to the user who asks."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery

from orders.models import Order, OrderEvent, OrderLine, OrderStatus, ReferenceKind


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


def site_active_odata(*, site, excluding_order_id: int | None = None) -> dict[str, str]:
    """The site's active OData connectors, {target: quota}, derived from its completed orders (one query).

    Nothing is copied onto the site: a connector is active because a completed
    order carried it; for each target the most recently completed order wins
    (a move from standard to extended quota replaces the standard one).
    """
    completed_at = (
        OrderEvent.objects.filter(order=OuterRef("order_id"), to_status=OrderStatus.COMPLETED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    rows = (
        OrderLine.objects.filter(
            order__site=site, order__status=OrderStatus.COMPLETED, reference__kind=ReferenceKind.ODATA
        )
        .exclude(order_id=excluding_order_id)
        .annotate(completed_at=Subquery(completed_at))
        .order_by("completed_at", "order_id", "id")
        .values_list("reference__odata_target", "reference__odata_quota")
    )
    active: dict[str, str] = {}
    for target, quota in rows:
        active[target] = quota
    return active
