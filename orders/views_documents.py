"""Uploading, removing and downloading the documents of an order.

The upload view sets its own upload handler (bounded while the body streams)
before anything reads the body; CSRF middleware would read it first, so the view
is exempted from the middleware and checks the token itself once the handler is
in place (the pattern of Django's « Modifying upload handlers on the fly »).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from mybusiness.tenancy import get_visible_or_404, partner_required, portal_access_required
from orders.models import Order, OrderDocument
from orders.services.documents import DocumentRefused, document_add, document_delete, max_size_label
from orders.uploads import SizeLimitedUploadHandler, drain

# The page uploads one file per request (progress per file); the no-JavaScript form may send a few.
DOCUMENTS_STEP = "documents"


def _editable_order(request, public_id) -> Order:
    order = get_visible_or_404(Order.objects.all(), request.user, public_id=public_id)
    return order


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def documents_list_html(request, order: Order) -> str:
    return render_to_string(
        "orders/wizard/fragments/documents_list.html",
        {"order": order, "documents": order.documents.select_related("uploaded_by"), "can_edit": order.is_editable},
        request=request,
    )


@csrf_exempt
@require_POST
@partner_required
def document_upload(request, public_id):
    # Who and which order first: nobody else gets to stream a body to disk.
    order = _editable_order(request, public_id)
    handler = SizeLimitedUploadHandler(
        request, max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES, max_files=settings.DOCUMENT_MAX_FILES_PER_REQUEST
    )
    request.upload_handlers = [handler]
    return _document_upload(request, order, handler)


@csrf_protect
def _document_upload(request, order: Order, handler: SizeLimitedUploadHandler):
    max_bytes = settings.DOCUMENT_MAX_UPLOAD_BYTES
    files = request.FILES.getlist("file")
    if handler.exceeded:
        drain(request)
    errors: list[str] = []
    status = 200
    try:
        if handler.exceeded:
            errors.append(
                _("Le fichier dépasse la taille maximale de %(max)s : il n'a pas été enregistré.")
                % {"max": max_size_label(max_bytes)}
            )
            status = 413
        elif not files:
            errors.append(_("Choisissez ou déposez un fichier."))
            status = 400
        elif len(files) > settings.DOCUMENT_MAX_FILES_PER_REQUEST:
            errors.append(
                _("Déposez %(max)d fichiers au plus à la fois.") % {"max": settings.DOCUMENT_MAX_FILES_PER_REQUEST}
            )
            status = 400
        else:
            kind = request.POST.get("kind", "")
            for uploaded in files:
                try:
                    document_add(order=order, user=request.user, uploaded_file=uploaded, kind=kind, max_bytes=max_bytes)
                except DocumentRefused as error:
                    errors.extend(error.messages)
                    status = 400
    finally:
        for uploaded in files:
            uploaded.close()
    order.refresh_from_db()
    if _wants_json(request):
        return JsonResponse(
            {"ok": not errors, "errors": errors, "list_html": documents_list_html(request, order)}, status=status
        )
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("Document enregistré."))
    return redirect(reverse("order_wizard", args=[order.public_id, DOCUMENTS_STEP]) + "#documents")


@require_POST
@partner_required
def document_remove(request, public_id, document_id):
    order = _editable_order(request, public_id)
    document = get_object_or_404(order.documents, public_id=document_id)
    try:
        document_delete(document=document, user=request.user)
    except DocumentRefused as error:
        if request.htmx:
            return render(
                request,
                "orders/wizard/fragments/documents_list.html",
                {"order": order, "documents": order.documents.select_related("uploaded_by"),
                 "can_edit": False, "list_error": " ".join(error.messages)},
            )
        messages.error(request, " ".join(error.messages))
        return redirect("order_detail", public_id=order.public_id)
    order.refresh_from_db()
    if request.htmx:
        return render(
            request,
            "orders/wizard/fragments/documents_list.html",
            {"order": order, "documents": order.documents.select_related("uploaded_by"), "can_edit": True,
             "list_message": _("Document « %(name)s » retiré.") % {"name": document.original_name}},
        )
    messages.success(request, _("Document « %(name)s » retiré.") % {"name": document.original_name})
    return redirect(reverse("order_wizard", args=[order.public_id, DOCUMENTS_STEP]) + "#documents")


@require_GET
@portal_access_required
def document_download(request, public_id, document_id):
    """The file as an attachment, for the order's partner and sales admins; anyone else gets a 404."""
    document = get_visible_or_404(
        OrderDocument.objects.select_related("order"), request.user, public_id=document_id, order__public_id=public_id
    )
    try:
        stream = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened directly anyway (e.g. by a browser ignoring the attachment), it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
