"""Drafts with steps 4 to 6 answered (main contact, certificate delivery, purchase order)."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from orders.models import BusinessSector, Civility, DocumentKind, Order, OrderDocument
from tests.factories_orders import draft_with_product

# The smallest thing that passes for a PDF by its content.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fill_steps_4_to_6(order: Order, *, user=None, with_purchase_order: bool = True) -> Order:
    """Answer steps 4, 5 and 6 of ``order``. The purchase order row points at no stored file:
    tests that download create theirs through the service."""
    order.contact_civility = Civility.MRS
    order.contact_first_name = "Jeanne"
    order.contact_last_name = "Martin"
    order.contact_function = "Gérante"
    order.contact_email = "jeanne.martin@boulangerie.example"
    order.contact_phone = "+33612345678"
    order.user_count = 3
    order.go_live_date = timezone.localdate() + datetime.timedelta(days=30)
    order.business_sector = BusinessSector.FOOD
    order.headcount = 12
    order.delivery_date = timezone.localdate() + datetime.timedelta(days=7)
    order.certificate_recipients = ["jeanne.martin@boulangerie.example"]
    order.quote_number = "DEV0012345"
    order.save()
    if with_purchase_order:
        OrderDocument.objects.create(
            order=order,
            kind=DocumentKind.PURCHASE_ORDER,
            file=f"orders/{order.public_id}/{uuid.uuid4().hex}",
            original_name="bon-de-commande.pdf",
            size=len(PDF_BYTES),
            content_type="application/pdf",
            uploaded_by=user or order.created_by,
        )
    return order


def complete_draft(*, partner, user=None, **kwargs) -> Order:
    """A draft ready to submit (steps 1, 2, 4, 5, 6; step 3 as its own helper leaves it)."""
    order = draft_with_product(partner=partner, user=user, **kwargs)
    return fill_steps_4_to_6(order, user=user)
