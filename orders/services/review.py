"""Sales administration's review of a submitted order: validate, reject, return for correction.

Each is one transition of design §7 through ``lifecycle.transition`` (state checked,
row locked, saved, event and emails written, tasks after commit). The partner
resubmits a returned order with ``orders.services.submission.order_submit``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders import notifications
from orders.answers import order_answers
from orders.errors import OrderError
from orders.models import Activation, Order, OrderStatus
from orders.services.handoff import activation_queue_handoff
from orders.services.lifecycle import transition

REVIEW_PERMISSION = "orders.review_order"
REASON_MAX_LENGTH = 4000


def require_reviewer(user) -> None:
    if user is None or not user.is_active or not user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied(_("Seule l'administration des ventes peut examiner les commandes."))


def clean_reason(reason: str | None, *, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(missing)
    if len(reason) > REASON_MAX_LENGTH:
        raise OrderError(_("Le motif est trop long (%(max)d caractères au plus).") % {"max": REASON_MAX_LENGTH})
    return reason


def order_needs_activation(order: Order) -> bool:
    """Whether one of the order's references needs the cloud team (catalog data, never a label)."""
    return order.lines.filter(reference__needs_cloud_activation=True).exists()


def order_validate(*, order: Order, user, message: str = "") -> Order:
    """Validate a submitted order; open its ``Activation`` when a reference needs the cloud team.

    The activation is created in the validation's transaction (one per order: a
    one-to-one), and its hand-off task is queued only once that transaction commits.
    An order that needs no activation stays validated: certificate issuance picks it
    up (``orders.selectors.orders_awaiting_certificate``).
    """
    require_reviewer(user)
    opened: dict[str, int] = {}

    def open_activation(locked: Order) -> list[str]:
        if order_needs_activation(locked):
            opened["activation_id"] = Activation.objects.create(order=locked).pk
        return []

    def notify(saved: Order) -> None:
        notifications.notify_validated(order_id=saved.pk, needs_activation="activation_id" in opened)

    def after_commit(saved: Order) -> None:
        if "activation_id" in opened:
            activation_queue_handoff(activation_id=opened["activation_id"])

    message = message.strip()[:REASON_MAX_LENGTH]
    return transition(
        order=order,
        actor=user,
        allowed_from=[OrderStatus.SUBMITTED],
        to=OrderStatus.VALIDATED,
        message=gettext_noop("Commande validée.\n%(message)s") if message else gettext_noop("Commande validée."),
        message_params={"message": message} if message else None,
        before_save=open_activation,
        notify=notify,
        after_commit=after_commit,
    )


def order_reject(*, order: Order, user, reason: str) -> Order:
    """Refuse a submitted order for good; the partner is told why."""
    require_reviewer(user)
    reason = clean_reason(reason, missing=_("Indiquez le motif du refus."))
    return transition(
        order=order,
        actor=user,
        allowed_from=[OrderStatus.SUBMITTED],
        to=OrderStatus.REJECTED,
        message=reason,
        notify=lambda saved: notifications.notify_rejected(order_id=saved.pk, reason=reason),
    )


def order_return_for_correction(*, order: Order, user, reason: str) -> Order:
    """Send a submitted order back to the partner, who may edit it again and resubmit it."""
    require_reviewer(user)
    reason = clean_reason(reason, missing=_("Indiquez ce que le partenaire doit corriger."))
    return transition(
        order=order,
        actor=user,
        allowed_from=[OrderStatus.SUBMITTED],
        to=OrderStatus.RETURNED,
        message=reason,
        notify=lambda saved: notifications.notify_returned(order_id=saved.pk, reason=reason),
        # The answers as they are now, for the sales administration to see what changed once it comes back.
        event_answers=order_answers,
    )
