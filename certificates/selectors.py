"""Reads of certificates, and which orders are due for one."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from certificates.models import Certificate
from orders.models import Order
from orders.selectors import orders_awaiting_certificate


def certificates_for_order(*, order: Order, user) -> QuerySet[Certificate]:
    """The order's certificates that ``user`` may download (none for other partners)."""
    return Certificate.objects.visible_to(user).filter(order=order).order_by("kind")


def orders_due_for_certificate(*, today: datetime.date) -> QuerySet[Order]:
    """Orders whose certificate is due on ``today`` (the rule is the orders app's:
    ``orders.selectors.orders_awaiting_certificate``), the earliest requested first."""
    return orders_awaiting_certificate(today=today).order_by("delivery_date", "id")


def certificates_unsent() -> QuerySet[Certificate]:
    """Certificates issued whose delivery email was never claimed (a lost send is retried)."""
    return Certificate.objects.filter(sent_at__isnull=True).order_by("id")
