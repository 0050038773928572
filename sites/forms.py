from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sites import fields as site_fields
from sites import validators
from sites.imports import ImportRowForm
from sites.models import CHANGEABLE_FIELDS, Hosting, Site, SiteStatus


def clean_company_data(form: forms.Form, *, prefix: str = "") -> None:
    """Check the rules between the company fields of ``form`` (named ``<prefix>postal_code`` etc.), adding errors.

    Each field checks its own value (``sites.fields``); this is what depends on two: a French postal code
    in France, a French VAT number holding the SIRET's SIREN. One place for these rules, used by the
    change request, the new-site step of the wizard, the CSV imports and the admin.
    """
    data = form.cleaned_data
    if prefix + "country" in form.errors:
        return
    country = data.get(prefix + "country") or "FR"
    postal_code = data.get(prefix + "postal_code")
    if country == "FR" and postal_code and prefix + "postal_code" not in form.errors:
        data[prefix + "postal_code"] = postal_code = postal_code.strip()
        try:
            validators.validate_french_postal_code(postal_code)
        except ValidationError as error:
            form.add_error(prefix + "postal_code", error)
    siret = data.get(prefix + "siret")
    vat = data.get(prefix + "vat_number")
    if (
        siret
        and vat
        and country == "FR"
        and prefix + "siret" not in form.errors
        and prefix + "vat_number" not in form.errors
        and vat.startswith("FR")
        and vat[4:] != siret[:9]
    ):
        form.add_error(
            prefix + "vat_number", _("Le numéro de TVA ne correspond pas au SIREN du SIRET (ses 9 premiers chiffres).")
        )


class SiteDataForm(forms.ModelForm):
    """The site data a partner may correct (a change request starts from it)."""

    class Meta:
        model = Site
        fields = list(CHANGEABLE_FIELDS)
        formfield_callback = site_fields.formfield

    def clean(self):
        cleaned = super().clean()
        clean_company_data(self)
        return cleaned


class SiteImportForm(ImportRowForm):
    """One CSV row of ``import_sites``: the same checks as the portal's forms."""

    hosting = forms.ChoiceField(choices=Hosting.choices)
    status = forms.ChoiceField(choices=SiteStatus.choices, required=False)

    class Meta:
        model = Site
        fields = ["number", *CHANGEABLE_FIELDS, "hosting", "status"]
        formfield_callback = site_fields.formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].validators = [validators.validate_site_number]

    def clean_number(self):
        return (self.cleaned_data["number"] or "").strip().upper()

    def clean_status(self):
        return self.cleaned_data.get("status") or SiteStatus.ACTIVE

    def clean(self):
        cleaned = super().clean()
        clean_company_data(self)
        generation, solution = cleaned.get("generation"), cleaned.get("solution")
        if solution is not None and generation is not None and solution.generation_id != generation.pk:
            self.add_error("solution", _("Cette solution n'appartient pas à la génération indiquée."))
        return cleaned
