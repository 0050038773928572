"""Issuing, delivering and re-sending certificates.

Issuing follows the order recipe: the order row is locked, its status checked,
the certificates created (one per kind: a unique constraint makes a second
attempt find the first), the order moved to « completed » with its event, all in
one transaction; the email leaves after commit. Sending claims the certificate
with a conditional UPDATE (``sent_at IS NULL``) so two workers never send it twice.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import ReferenceKind
from certificates.models import Certificate, CertificateKind
from certificates.rendering import render_certificate_pdf
from orders.errors import OrderError
from orders.models import SERVICE_ENVIRONMENTS, Activation, Order, OrderStatus
from orders.services.lifecycle import record_event, transition
from webhooks.models import WebhookEvent
from webhooks.services import webhook_event_record

logger = logging.getLogger(__name__)


class CertificateError(OrderError):
    """A certificate cannot be issued or sent; the message says why."""


def certificate_kinds_for(order: Order) -> list[str]:
    """An OData activation certificate for OData references, a licence certificate for the others."""
    odata = [line.reference.kind == ReferenceKind.ODATA for line in order.lines.all()]
    if not odata:
        return []
    wanted = []
    if not all(odata):
        wanted.append(CertificateKind.LICENCE)
    if any(odata):
        wanted.append(CertificateKind.ODATA)
    return wanted


def certificate_number(*, order: Order, kind: str) -> str:
    """Derived from the order number: CMD-2026-000123 → CERT-2026-000123 (licence) or CERT-2026-000123-ODATA."""
    base = "CERT-" + (order.number or f"ORDER-{order.pk}").removeprefix("CMD-")
    return base + ("-ODATA" if kind == CertificateKind.ODATA else "")


def certificate_recipients_for(order: Order) -> list[str]:
    """The recipients the partner named (1 to 5); the order's author when none was given."""
    recipients = [email for email in (order.certificate_recipients or []) if email]
    return list(dict.fromkeys(recipients)) or [order.created_by.email]


def odata_service_addresses(order: Order) -> list[tuple[str, str]]:
    """(environment, service address) pairs entered by the cloud team on the order's activation."""
    activation = Activation.objects.filter(order=order).first()
    urls = (activation.service_urls if activation else None) or {}
    known = [(key, str(label)) for key, label in SERVICE_ENVIRONMENTS if urls.get(key)]
    others = [(key, key) for key in urls if key not in dict(SERVICE_ENVIRONMENTS) and urls[key]]
    return [(label, urls[key]) for key, label in known + others]


def _pdf_context(*, order: Order, kind: str, number: str, issued_at: datetime.datetime) -> dict:
    lines = [line for line in order.lines.all() if (line.reference.kind == ReferenceKind.ODATA) == (kind == "odata")]
    return {
        "order": order,
        "site": order.site,
        "partner": order.partner,
        "kind": kind,
        "kind_label": CertificateKind(kind).label,
        "number": number,
        "issued_at": issued_at,
        "lines": lines,
        "service_addresses": odata_service_addresses(order) if kind == CertificateKind.ODATA else [],
    }


def _issue_one(*, order: Order, kind: str, now: datetime.datetime) -> Certificate:
    existing = Certificate.objects.filter(order=order, kind=kind).first()
    if existing is not None:
        return existing
    number = certificate_number(order=order, kind=kind)
    pdf = render_certificate_pdf(context=_pdf_context(order=order, kind=kind, number=number, issued_at=now))
    certificate = Certificate(
        order=order, kind=kind, number=number, issued_at=now, recipients=certificate_recipients_for(order)
    )
    try:
        with transaction.atomic():
            certificate.pdf.save(f"{number}.pdf", ContentFile(pdf), save=False)
            certificate.save()
            webhook_event_record(partner_id=order.partner_id, event_type=WebhookEvent.CERTIFICATE_ISSUED, data={
                "certificate": str(certificate.public_id), "number": certificate.number, "kind": certificate.kind,
                "order": str(order.public_id), "order_number": order.number,
                "url": f"{settings.SITE_URL}/api/v1/certificates/{certificate.public_id}/pdf",
            })
    except IntegrityError:
        # Another worker issued it between our look-up and our insert: theirs stands.
        certificate.pdf.delete(save=False)
        return Certificate.objects.get(order=order, kind=kind)
    return certificate


def order_is_due(*, order: Order, today: datetime.date) -> bool:
    """Activated, or validated without a cloud activation; and the requested delivery date has come."""
    has_activation = Activation.objects.filter(order=order).exists()
    ready = order.status == OrderStatus.ACTIVATED or (order.status == OrderStatus.VALIDATED and not has_activation)
    return ready and (order.delivery_date is None or order.delivery_date <= today)


def certificates_issue_for_order(*, order: Order, today: datetime.date | None = None) -> list[Certificate]:
    """Issue the order's certificates if they are due, complete the order and email them after commit.

    Running it twice, or twice at once, issues and sends once: the second run finds
    the order locked, then completed, and does nothing (an empty list).
    """
    today = today or timezone.localdate()
    order = Order.objects.select_related("created_by").prefetch_related("lines__reference").get(pk=order.pk)
    kinds = certificate_kinds_for(order)
    if not kinds:
        return []
    numbers = [certificate_number(order=order, kind=kind) for kind in kinds]
    recipients = certificate_recipients_for(order)
    issued: list[Certificate] = []

    def issue(locked: Order) -> list[str]:
        locked = (
            Order.objects.select_related("site", "partner", "created_by", "solution", "generation")
            .prefetch_related("lines__reference")
            .get(pk=locked.pk)
        )
        if not order_is_due(order=locked, today=today):
            raise CertificateError(_("Le certificat de cette commande n'est pas encore dû."))
        if certificate_kinds_for(locked) != kinds:
            raise CertificateError(_("Les références de la commande ont changé pendant l'émission."))
        now = timezone.now()
        issued.extend(_issue_one(order=locked, kind=kind, now=now) for kind in kinds)
        return []

    try:
        transition(
            order=order,
            actor=None,
            allowed_from=[OrderStatus.ACTIVATED, OrderStatus.VALIDATED],
            to=OrderStatus.COMPLETED,
            message=gettext_noop("Certificat %(numbers)s émis et envoyé à %(recipients)s."),
            message_params={"numbers": ", ".join(numbers), "recipients": ", ".join(recipients)},
            before_save=issue,
            after_commit=lambda saved: [certificate_send(certificate_id=c.pk) for c in issued],
        )
    except OrderError:
        # Not due, or no longer in a status that gets a certificate (another run completed it).
        return []
    return issued


def certificates_issue_due(*, today: datetime.date | None = None) -> int:
    """Issue every due certificate, and send those whose email was lost; returns how many were issued."""
    from certificates.selectors import certificates_unsent, orders_due_for_certificate

    today = today or timezone.localdate()
    count = 0
    for order in orders_due_for_certificate(today=today).iterator():
        try:
            count += len(certificates_issue_for_order(order=order, today=today))
        except Exception:
            # One broken order must not hold back the others; the next run tries it again.
            logger.exception("Certificate issuing failed for order %s", order.pk)
    for certificate_id in certificates_unsent().values_list("pk", flat=True):
        try:
            certificate_send(certificate_id=certificate_id)
        except Exception:
            logger.exception("Certificate email failed for certificate %s", certificate_id)
    return count


def _email(*, certificate: Certificate, reason: str = "") -> None:
    from mybusiness.emails import send_templated_email

    order = certificate.order
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    send_templated_email(
        template="certificates/emails/certificate",
        to=certificate.recipients,
        language=settings.LANGUAGE_CODE,
        context={
            "certificate": certificate,
            "order": order,
            "reason": reason,
            "link": settings.SITE_URL + reverse("order_detail", args=[order.public_id]),
        },
        attachments=[(certificate.filename, content, "application/pdf")],
    )


def certificate_send(*, certificate_id: int) -> bool:
    """Email a certificate to its recipients once: True if this call sent it."""
    claimed = Certificate.objects.filter(pk=certificate_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if claimed != 1:
        return False
    certificate = Certificate.objects.select_related("order__partner", "order__site").get(pk=certificate_id)
    try:
        _email(certificate=certificate)
    except Exception:
        # Not sent: give the claim back so that the next sweep tries again.
        Certificate.objects.filter(pk=certificate_id).update(sent_at=None)
        raise
    return True


def certificate_resend(*, certificate: Certificate, user, reason: str) -> None:
    """A sales admin sends the certificate again; the reason is written on the order's timeline."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Indiquez le motif du renvoi."))
    if not user.has_perm("certificates.resend_certificate"):
        raise CertificateError(_("Vous n'avez pas le droit de renvoyer un certificat."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        record_event(
            order=locked.order,
            actor=user,
            message=gettext_noop("Certificat %(number)s renvoyé à %(recipients)s. Motif : %(reason)s"),
            message_params={"number": locked.number, "recipients": ", ".join(locked.recipients), "reason": reason},
        )
        transaction.on_commit(lambda: _email(certificate=locked, reason=reason))
