from django.conf import settings
from django.utils.translation import gettext_lazy as _

from orders.completeness import SECTION_BY_IDENTIFIER
from orders.models import DocumentKind
from orders.services.documents import ALLOWED_LABELS, ALLOWED_TYPES, max_size_label, order_has_purchase_order
from orders.wizard.base import WizardStep
from orders.wizard.forms_documents import DocumentsForm


class DocumentsStep(WizardStep):
    """Step 6: the signed purchase order (required) and other documents, the quote number, comments."""

    identifier = "documents"
    section = SECTION_BY_IDENTIFIER["documents"]
    title = section.title
    template_name = "orders/wizard/step_documents.html"
    form_class = DocumentsForm

    def get_context(self, request, order):
        extensions = [ext for file_type in ALLOWED_TYPES for ext in file_type.extensions]
        return {
            "documents": order.documents.select_related("uploaded_by"),
            "can_edit": order.is_editable,
            "document_kinds": DocumentKind.choices,
            "default_kind": DocumentKind.OTHER if order_has_purchase_order(order) else DocumentKind.PURCHASE_ORDER,
            "max_upload_bytes": settings.DOCUMENT_MAX_UPLOAD_BYTES,
            "max_upload_label": max_size_label(settings.DOCUMENT_MAX_UPLOAD_BYTES),
            "allowed_labels": ALLOWED_LABELS,
            "accept": ",".join(extensions + [file_type.content_type for file_type in ALLOWED_TYPES]),
        }

    def summary(self, order):
        return [(_("Numéro de devis Divalto"), order.quote_number), (_("Commentaires"), order.comments)]

    @property
    def review_template(self):
        return "orders/wizard/review_documents.html"
