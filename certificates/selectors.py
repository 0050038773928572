"""Reads of certificates, and which orders are due for one."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from certificates.models import Certificate
from orders.models import Order, OrderLine, OrderStatus


def certificates_for_order(*, order: Order, user) -> QuerySet[Certificate]:
    """The order's certificates that ``user`` may download (none for other partners)."""
    return Certificate.objects.visible_to(user).filter(order=order).order_by("kind")


def orders_due_for_certificate(*, today: datetime.date) -> QuerySet[Order]:
    """Orders whose certificate is due on ``today``.

    Due: activated by the cloud team, or validated when no reference needs a cloud
    activation; and the requested delivery date has come (no date: at once).
    """
    needs_activation = OrderLine.objects.filter(order=OuterRef("pk"), reference__needs_cloud_activation=True)
    ready = Q(status=OrderStatus.ACTIVATED) | (Q(status=OrderStatus.VALIDATED) & ~Exists(needs_activation))
    return (
        Order.objects.filter(ready)
        .filter(Q(delivery_date__lte=today) | Q(delivery_date__isnull=True))
        .order_by("delivery_date", "id")
    )


def certificates_unsent() -> QuerySet[Certificate]:
    """Certificates issued whose delivery email was never claimed (a lost send is retried)."""
    return Certificate.objects.filter(sent_at__isnull=True).order_by("id")
