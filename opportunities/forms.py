from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opportunities.models import (
    Opportunity,
    OpportunityStage,
    normalize_opportunity_number,
    validate_opportunity_number,
)
from sites import fields as site_fields
from sites.forms import clean_company_data
from sites.imports import ImportRowForm

COMPANY_FIELDS = (
    "company_name", "siret", "vat_number", "naf_code", "address", "postal_code", "city", "country", "phone", "email",
)
CONTACT_FIELDS = ("contact_name", "contact_function", "contact_email", "contact_phone")


class OpportunityImportForm(ImportRowForm):
    """One CSV row of ``import_opportunities``: the same company checks as the portal's forms.

    Catalog entries, partners and owners are given by code or email and resolved from the
    dictionaries the import loads once (no query per row for them).
    """

    owner = forms.CharField(required=False)
    stage = forms.CharField(required=False)
    estimated_amount = forms.CharField(required=False)
    expected_close_date = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    class Meta:
        model = Opportunity
        fields = ["number", "name", *COMPANY_FIELDS, *CONTACT_FIELDS, "expected_close_date"]
        formfield_callback = site_fields.formfield

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self._owners = owners
        self.fields["number"].validators = [validate_opportunity_number]
        self.fields["country"].required = False

    def clean_number(self):
        return normalize_opportunity_number(self.cleaned_data["number"])

    def clean_stage(self):
        raw = (self.cleaned_data.get("stage") or "").strip()
        if not raw:
            return OpportunityStage.OPEN
        for value, label in OpportunityStage.choices:
            if raw.casefold() in (value, str(label).casefold()):
                return value
        raise ValidationError(
            _("Étape inconnue : %(stage)s (attendu : open, won ou lost).") % {"stage": raw}
        )

    def clean_estimated_amount(self):
        raw = (self.cleaned_data.get("estimated_amount") or "").replace("\u00a0", "").replace(" ", "")
        raw = raw.replace("€", "").replace(",", ".")
        if not raw:
            return None
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(_("Montant illisible : %(value)s.") % {"value": raw}) from None
        if amount < 0 or amount >= Decimal("10000000000") or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(_("Le montant est un nombre positif d'au plus 2 décimales."))
        return amount

    def clean_owner(self):
        email = (self.cleaned_data.get("owner") or "").strip().lower()
        if not email:
            return None
        owner = self._owners(email)
        if owner is None:
            raise ValidationError(_("Responsable inconnu : %(email)s.") % {"email": email})
        return owner

    def clean(self):
        cleaned = super().clean()
        cleaned["country"] = cleaned.get("country") or "FR"
        clean_company_data(self)
        generation, solution = cleaned.get("generation"), cleaned.get("solution")
        if solution is not None and generation is None:
            cleaned["generation"] = solution.generation
        elif solution is not None and solution.generation_id != generation.pk:
            self.add_error("solution", _("Cette solution n'appartient pas à la génération indiquée."))
        partner, owner = cleaned.get("partner"), cleaned.get("owner")
        if partner is not None and owner is not None and owner.partner_id != partner.pk:
            self.add_error("owner", _("Le responsable doit être un utilisateur du partenaire de l'opportunité."))
        return cleaned
