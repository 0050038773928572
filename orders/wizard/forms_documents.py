"""Step 6: the vendor quote number and comments (documents are uploaded by their own view)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.services import drafts
from orders.services.documents import order_has_purchase_order
from orders.validators import QUOTE_NUMBER_HELP, normalize_quote_number
from orders.wizard.forms import StepForm

MAX_COMMENTS_LENGTH = 2000


class DocumentsForm(StepForm):
    error_anchors = {"purchase_order_missing": "id_document_files"}  # the drop zone's file picker
    quote_number = forms.CharField(
        label=_("Numéro de devis Divalto"),
        required=False,
        max_length=30,
        help_text=QUOTE_NUMBER_HELP,
        error_messages={"max_length": _("Le numéro de devis est limité à %(limit_value)d caractères.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "DEV0012345"}),
    )
    comments = forms.CharField(
        label=_("Commentaires"),
        required=False,
        max_length=MAX_COMMENTS_LENGTH,
        help_text=_("Ce que l'administration des ventes doit savoir sur cette commande (2000 caractères au plus)."),
        error_messages={"max_length": _("Les commentaires sont limités à %(limit_value)d caractères (vous en avez "
                                        "saisi %(show_value)d).")},
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_COMMENTS_LENGTH}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = {"quote_number": self.order.quote_number, "comments": self.order.comments}

    def clean_quote_number(self):
        return normalize_quote_number(self.cleaned_data["quote_number"])

    def clean(self):
        cleaned = super().clean()
        # Going on without the purchase order would only bounce back here: say so now.
        # « Save and exit » and « Back » keep the draft as it is.
        if self.data.get("action", "next") == "next" and not order_has_purchase_order(self.order):
            raise forms.ValidationError(
                _("Déposez le bon de commande signé (nature « Bon de commande ») avant de continuer."),
                code="purchase_order_missing",
            )
        return cleaned

    def save(self) -> list[str]:
        drafts.order_update_fields(
            order=self.order,
            user=self.user,
            values={"quote_number": self.cleaned_data["quote_number"], "comments": self.cleaned_data["comments"]},
        )
        return []
