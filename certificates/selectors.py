"""Reads of certificates, and which orders are due for one."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from certificates.models import Certificate
from orders.models import Order, OrderStatus
from orders.selectors import orders_awaiting_certificate


def certificates_for_order(*, order: Order, user) -> QuerySet[Certificate]:
    """The order's certificates that ``user`` may download (none for other partners)."""
    return Certificate.objects.visible_to(user).filter(order=order).order_by("kind")


def orders_due_for_certificate(*, today: datetime.date) -> QuerySet[Order]:
    """Orders whose certificate is due on ``today``.

    Due (``orders.selectors.orders_awaiting_certificate``): activated by the cloud team,
    or validated without an activation; and the requested delivery date has come.
    An order without a requested date (none was asked for) is due at once.
    """
    ready = Q(status=OrderStatus.ACTIVATED) | Q(status=OrderStatus.VALIDATED, activation__isnull=True)
    undated = Order.objects.filter(ready, delivery_date__isnull=True)
    return (orders_awaiting_certificate(today=today) | undated).order_by("delivery_date", "id")


def certificates_unsent() -> QuerySet[Certificate]:
    """Certificates issued whose delivery email was never claimed (a lost send is retried)."""
    return Certificate.objects.filter(sent_at__isnull=True).order_by("id")
