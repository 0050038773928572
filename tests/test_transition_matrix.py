"""R10 (issue 20, work in progress): every status-changing service of orders × every order status.

Only the allowed pairs (``ALLOWED``, the specification, written once) succeed; every other pair raises the
domain error (``OrderError``) and changes nothing: the status, the events, the outbox. Still to come: the
activations, the site change requests and the certificates, and the services' permission checks alone.
"""

from __future__ import annotations

import pytest

from mybusiness.models import OutboxEmail
from orders.errors import OrderError
from orders.models import Order, OrderEvent, OrderStatus
from orders.services.cancellation import order_cancel
from orders.services.review import order_reject, order_return_for_correction, order_validate
from orders.services.submission import order_submit
from tests.factories_steps import complete_draft

pytestmark = pytest.mark.django_db

S = OrderStatus
# service name: (the statuses it may start from, how it is called: (order, partner_user, sales_admin) -> ...)
SERVICES = {
    "submit": ({S.DRAFT, S.RETURNED}, lambda order, partner, adv: order_submit(order=order, user=partner)),
    "validate": ({S.SUBMITTED}, lambda order, partner, adv: order_validate(order=order, user=adv)),
    "reject": ({S.SUBMITTED}, lambda order, partner, adv: order_reject(order=order, user=adv, reason="Non.")),
    "return": ({S.SUBMITTED}, lambda order, partner, adv: order_return_for_correction(order=order, user=adv,
                                                                                      reason="À revoir.")),
    "cancel": ({S.SUBMITTED, S.RETURNED}, lambda order, partner, adv: order_cancel(order=order, user=partner)),
}


def snapshot(order: Order) -> tuple:
    order.refresh_from_db()
    return order.status, order.updated_at, OrderEvent.objects.filter(order=order).count(), OutboxEmail.objects.count()


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_only_the_allowed_pairs_change_the_order(service, status, partner, partner_user, sales_admin):
    allowed, call = SERVICES[service]
    # A complete order (every service's other rules hold), put in the status under test.
    order = complete_draft(partner=partner, user=partner_user)
    Order.objects.filter(pk=order.pk).update(status=status, number="" if status == S.DRAFT else "CMD-2026-900001")
    order.refresh_from_db()
    before = snapshot(order)
    if status in allowed:
        call(order, partner_user, sales_admin)
        assert snapshot(order)[0] != status
    else:
        with pytest.raises(OrderError):
            call(order, partner_user, sales_admin)
        assert snapshot(order) == before
