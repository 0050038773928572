"""The partner cancels an order before it is validated.

Cancellation applies to submitted and returned orders; a draft is not cancelled
but deleted (``orders.services.drafts.order_draft_delete``), since it was never
sent to anyone.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders import notifications
from orders.errors import InvalidTransition, OrderError
from orders.models import Order, OrderStatus
from orders.services.lifecycle import transition

CANCELLABLE_STATUSES = frozenset({OrderStatus.SUBMITTED, OrderStatus.RETURNED})


def order_cancel(*, order: Order, user, reason: str = "") -> Order:
    """Cancel the partner's own order (submitted or returned); sales administration is told."""
    if not getattr(user, "is_partner", False) or order.partner_id != user.partner_id:
        raise OrderError(_("Cette commande n'appartient pas à votre société."))
    if order.status == OrderStatus.DRAFT:
        raise InvalidTransition(_("Un brouillon ne s'annule pas : supprimez-le."))
    reason = (reason or "").strip()[:4000]
    message = gettext_noop("Commande annulée par le partenaire.")
    if reason:
        message = gettext_noop("Commande annulée par le partenaire.\n%(reason)s")
    return transition(
        order=order,
        actor=user,
        allowed_from=CANCELLABLE_STATUSES,
        to=OrderStatus.CANCELLED,
        message=message,
        message_params={"reason": reason} if reason else None,
        notify=lambda saved: notifications.notify_cancelled(order_id=saved.pk, reason=reason),
    )
