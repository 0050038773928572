"""Submitting an order to sales administration (first time, or again after a correction)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders import notifications
from orders.completeness import order_missing
from orders.errors import OrderError
from orders.models import Order, OrderStatus
from orders.services.lifecycle import transition


class IncompleteOrder(OrderError):
    """Submission refused: ``missing`` lists (step title, [what is missing]) pairs."""

    def __init__(self, missing: list[tuple[str, list[str]]]):
        self.missing = missing
        super().__init__(_("La commande est incomplète."))


def order_submit(*, order: Order, user) -> Order:
    """Submit a complete draft (or a returned order): number it, record the event, email ADV and the partner.

    Two submissions at once of the same draft make one submission: the second
    finds the row locked, then no longer a draft, and is refused.
    """
    from orders.services.numbering import next_order_number

    if order.partner_id != getattr(user, "partner_id", None):
        raise OrderError(_("Cette commande n'appartient pas à votre société."))

    def check_and_number(locked: Order) -> list[str]:
        missing = order_missing(locked)
        if missing:
            raise IncompleteOrder([(str(section.title), lacks) for section, lacks in missing])
        fields = ["submitted_at"]
        locked.submitted_at = timezone.now()
        if not locked.number:
            locked.number = next_order_number()
            fields.append("number")
        return fields

    resubmission = order.status == OrderStatus.RETURNED
    return transition(
        order=order,
        actor=user,
        allowed_from=[OrderStatus.DRAFT, OrderStatus.RETURNED],
        to=OrderStatus.SUBMITTED,
        message=(gettext_noop("Commande soumise à nouveau après correction.") if resubmission
                 else gettext_noop("Commande soumise.")),
        before_save=check_and_number,
        notify=lambda saved: notifications.notify_submitted(
            order_id=saved.pk, submitter=user, resubmission=resubmission
        ),
    )

