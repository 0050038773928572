from __future__ import annotations

from django.http import FileResponse
from django.views.decorators.http import require_GET

from certificates.models import Certificate
from mybusiness.tenancy import get_visible_or_404, portal_access_required


@require_GET
@portal_access_required
def certificate_download(request, public_id):
    """The PDF, as an attachment: the order's partner users and sales admins only (others: 404)."""
    certificate = get_visible_or_404(Certificate.objects.all(), request.user, public_id=public_id)
    response = FileResponse(
        certificate.pdf.open("rb"), as_attachment=True, filename=certificate.filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
