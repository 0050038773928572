"""Orders at the back-office stages, and the fixtures the back-office tests share."""

from __future__ import annotations

import pytest
from django.utils import timezone

from orders.models import Order, OrderEvent, OrderStatus
from tests.factories import UserFactory
from tests.factories_orders import draft_with_product

_numbers = iter(range(1, 10**6))


def submitted_order(*, partner, user=None, lines=(("ONE-ERP-USER", 3),), **kwargs) -> Order:
    """A submitted order, built directly (the wizard's completeness rules are tested elsewhere)."""
    user = user or UserFactory(partner=partner)
    order = draft_with_product(partner=partner, user=user, lines=lines, **kwargs)
    now = timezone.now()
    order.status = OrderStatus.SUBMITTED
    order.number = f"CMD-{now.year}-{next(_numbers):06d}"
    order.submitted_at = now
    order.save(update_fields=["status", "number", "submitted_at"])
    OrderEvent.objects.create(
        order=order,
        actor=user,
        from_status=OrderStatus.DRAFT,
        to_status=OrderStatus.SUBMITTED,
        message="Commande soumise.",
    )
    return order


CLOUD_LINES = (("ONE-ERP-USER", 3), ("SAAS-ENV", 1))
ODATA_LINES = (("ONE-ERP-USER", 3), ("SAAS IO ODATA", 1))


def cloud_order(*, partner, user=None, lines=CLOUD_LINES) -> Order:
    """A submitted order whose references need a cloud activation."""
    return submitted_order(partner=partner, user=user, lines=lines)


@pytest.fixture
def eager_celery():
    """Run queued tasks at once in this process, even when a broker is configured (as in CI)."""
    from mybusiness.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)
