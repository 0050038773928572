"""Submitting an order to sales administration (first time, or again after a correction)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
    from orders.wizard.engine import missing_for_submission

    if order.partner_id != getattr(user, "partner_id", None):
        raise OrderError(_("Cette commande n'appartient pas à votre société."))

    def check_and_number(locked: Order) -> list[str]:
        missing = missing_for_submission(locked)
        if missing:
            raise IncompleteOrder([(str(step.title), lacks) for step, lacks in missing])
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
        message=_("Commande soumise à nouveau après correction.") if resubmission else _("Commande soumise."),
        before_save=check_and_number,
        after_commit=lambda saved: _notify_submitted(order_id=saved.pk, submitter=user, resubmission=resubmission),
    )


def _notify_submitted(*, order_id: int, submitter, resubmission: bool) -> None:
    from mybusiness.emails import send_templated_email

    order = Order.objects.select_related("partner", "order_type", "solution").get(pk=order_id)
    context = {"order": order, "resubmission": resubmission}
    send_templated_email(
        template="orders/emails/submitted_sales_admin",
        to=[settings.SALES_ADMIN_EMAIL],
        language=settings.LANGUAGE_CODE,
        context={**context, "link": settings.SITE_URL + reverse("admin:orders_order_change", args=[order.pk])},
    )
    send_templated_email(
        template="orders/emails/submitted_partner",
        to=[submitter.email],
        language=submitter.language,
        context={**context, "link": settings.SITE_URL + reverse("order_detail", args=[order.public_id])},
    )
