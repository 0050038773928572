"""One of everything a partner owns, for the tests generated from the URLconf (the authorization matrix,
R11's hostile inputs): each path parameter then has a real value to start from."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile

from certificates.models import Certificate
from mybusiness.models import User
from opportunities.models import Opportunity
from orders.models import DocumentKind, Order, OrderDocument, OrderStatus
from sites.models import Site
from tests.factories import UserFactory
from tests.factories_opportunities import OpportunityFactory
from tests.factories_sites import SiteFactory
from tests.factories_steps import PDF_BYTES, complete_draft


@dataclass
class PartnerWorld:
    draft: Order  # complete, with a purchase order
    document: OrderDocument
    completed: Order
    certificate: Certificate
    site: Site
    opportunity: Opportunity
    colleague: User  # another user of the partner


def partner_world(*, partner, user) -> PartnerWorld:
    draft = complete_draft(partner=partner, user=user)
    document = OrderDocument(
        order=draft, kind=DocumentKind.PURCHASE_ORDER, original_name="bon.pdf", size=len(PDF_BYTES),
        content_type="application/pdf", uploaded_by=user,
    )
    document.file.save("bon.pdf", ContentFile(PDF_BYTES), save=True)
    completed = complete_draft(partner=partner, user=user)
    completed.status, completed.number = OrderStatus.COMPLETED, "CMD-2026-999001"
    completed.save()
    certificate = Certificate(order=completed, kind="licence", number="CERT-2026-999001")
    certificate.pdf.save("certificat.pdf", ContentFile(PDF_BYTES), save=True)
    return PartnerWorld(
        draft=draft, document=document, completed=completed, certificate=certificate,
        site=SiteFactory(partner=partner, hosting="saas"), opportunity=OpportunityFactory(partner=partner),
        colleague=UserFactory(partner=partner),
    )
