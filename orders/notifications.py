"""The emails of the order lifecycle, each rendered in its recipient's language with a link to the order.

Every ``notify_*`` function but the cloud team's is called INSIDE the transaction of the
change it announces: it records the email in the outbox (``mybusiness.emails.email_record``),
so that the change and its emails commit together, and a Celery task sends them after the
commit (a process dying right after the commit loses none: the sweep sends what is left).
Functions take ids and load what they need, within that transaction. The cloud hand-off,
exactly-once by its own claim (``orders.services.handoff``), calls ``notify_cloud_team``,
which sends at once and raises on failure so that the hand-off is retried.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from mybusiness.emails import email_record, send_templated_email
from orders.models import Activation, Order, OrderComment, OrderEvent, OrderStatus

TEMPLATES = "orders/emails/"


def portal_link(order: Order) -> str:
    return settings.SITE_URL + reverse("order_detail", args=[order.public_id])


def admin_link(order: Order) -> str:
    return settings.SITE_URL + reverse("admin:orders_order_change", args=[order.pk])


def partner_recipients(order: Order) -> list:
    """The partner's people concerned by the order: its creator and whoever submitted it (each once)."""
    people = {order.created_by_id: order.created_by}
    submitters = (
        OrderEvent.objects.filter(order=order, to_status=OrderStatus.SUBMITTED, actor__isnull=False)
        .select_related("actor")
        .order_by("created_at")
    )
    for event in submitters:
        people.setdefault(event.actor_id, event.actor)
    return [user for user in people.values() if user.is_active and user.partner_id == order.partner_id]


def _load(order_id: int) -> Order:
    return Order.objects.select_related("partner", "created_by", "site").get(pk=order_id)


def _to_partner(template: str, order: Order, **context) -> None:
    for user in partner_recipients(order):
        full_context = {"order": order, "link": portal_link(order), **context}
        email_record(template=TEMPLATES + template, to=[user.email], language=user.language, context=full_context)


def _to_sales_admin(template: str, order: Order, **context) -> None:
    email_record(
        template=TEMPLATES + template,
        to=[settings.SALES_ADMIN_EMAIL],
        language=settings.LANGUAGE_CODE,
        context={"order": order, "link": admin_link(order), **context},
    )


def notify_submitted(*, order_id: int, submitter, resubmission: bool) -> None:
    """To sales administration, and to the partner's user who submitted it."""
    order = Order.objects.select_related("partner", "order_type", "solution").get(pk=order_id)
    _to_sales_admin("submitted_sales_admin", order, resubmission=resubmission)
    email_record(
        template=TEMPLATES + "submitted_partner",
        to=[submitter.email],
        language=submitter.language,
        context={"order": order, "resubmission": resubmission, "link": portal_link(order)},
    )


def notify_validated(*, order_id: int, needs_activation: bool) -> None:
    _to_partner("validated_partner", _load(order_id), needs_activation=needs_activation)


def notify_rejected(*, order_id: int, reason: str) -> None:
    _to_partner("rejected_partner", _load(order_id), reason=reason)


def notify_returned(*, order_id: int, reason: str) -> None:
    _to_partner("returned_partner", _load(order_id), reason=reason)


def notify_cancelled(*, order_id: int, reason: str) -> None:
    _to_sales_admin("cancelled_sales_admin", _load(order_id), reason=reason)


def notify_in_activation(*, order_id: int) -> None:
    _to_partner("in_activation_partner", _load(order_id))


def notify_activated(*, order_id: int) -> None:
    order = _load(order_id)
    activation = Activation.objects.filter(order=order).first()
    urls = sorted((activation.service_urls or {}).items()) if activation else []
    _to_partner("activated_partner", order, service_urls=urls)


def notify_activation_blocked(*, order_id: int, reason: str) -> None:
    _to_sales_admin("blocked_sales_admin", _load(order_id), reason=reason)


def notify_comment(*, comment_id: int) -> None:
    """A partner's message goes to sales administration; a public ADV message to the partner's people."""
    comment = OrderComment.objects.select_related("author", "order").get(pk=comment_id)
    if comment.is_internal:
        return
    order = _load(comment.order_id)
    author = comment.author
    if author is not None and author.is_partner:
        _to_sales_admin("comment_sales_admin", order, author=str(author), body=comment.body)
    else:
        _to_partner("comment_partner", order, body=comment.body)


def notify_cloud_team(*, activation: Activation) -> None:
    """The hand-off email to the cloud mailbox. Raises on failure: the hand-off task retries it."""
    order = _load(activation.order_id)
    references = ", ".join(
        f"{line.quantity} × {line.reference.code}" for line in order.lines.select_related("reference")
    )
    send_templated_email(
        template=TEMPLATES + "handoff_cloud",
        to=[settings.CLOUD_TEAM_EMAIL],
        language=settings.LANGUAGE_CODE,
        context={
            "order": order,
            "hosting": order.site.get_hosting_display() if order.site else order.get_new_site_hosting_display(),
            "references": references,
            "link": settings.SITE_URL + reverse("admin:orders_activation_changelist"),
        },
    )
