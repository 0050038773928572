"""Certificates in the partner API: the list and the PDF."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import FileResponse
from ninja import Field, Query, Router, Schema

from certificates.models import Certificate
from mybusiness.api import MAX_PAGE, MAX_PER_PAGE, Page, answers, page_of
from mybusiness.tenancy import get_visible_or_404

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    id: uuid.UUID
    number: str
    kind: str
    order: uuid.UUID
    order_number: str | None
    issued_at: dt.datetime
    sent_at: dt.datetime | None
    recipients: list[str]


class CertificateFilters(Schema):
    order: uuid.UUID | None = Field(None, description="Les certificats d'une commande")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


def certificate_out(certificate: Certificate) -> dict:
    return {"id": certificate.public_id, "number": certificate.number, "kind": certificate.kind,
            "order": certificate.order.public_id, "order_number": certificate.order.number,
            "issued_at": certificate.issued_at, "sent_at": certificate.sent_at,
            "recipients": list(certificate.recipients or [])}


@router.get("/certificates", response=answers(Page[CertificateOut]), summary="Certificats, les plus récents d'abord")
def certificate_list(request, filters: Query[CertificateFilters]):
    certificates = Certificate.objects.visible_to(request.user).select_related("order").order_by("-issued_at", "-id")
    if filters.order:
        certificates = certificates.filter(order__public_id=filters.order)
    page = page_of(certificates, page=filters.page, per_page=filters.per_page)
    page["items"] = [certificate_out(item) for item in page["items"]]
    return page


@router.get("/certificates/{certificate_id}/pdf", summary="Le certificat en PDF",
            response=answers(bytes, 200), openapi_extra={"responses": {200: {"content": {"application/pdf": {
                "schema": {"type": "string", "format": "binary"}}}}}})
def certificate_pdf(request, certificate_id: uuid.UUID):
    certificate = get_visible_or_404(Certificate.objects.all(), request.user, public_id=certificate_id)
    response = FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=certificate.filename,
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response
