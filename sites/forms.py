from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sites import validators
from sites.imports import ImportRowForm
from sites.models import CHANGEABLE_FIELDS, Hosting, Site, SiteStatus


def clean_company_data(form: forms.Form, *, prefix: str = "") -> None:
    """Check and normalize the company fields of ``form`` (named ``<prefix>siret`` etc.), adding errors.

    One place for the rules, used by the change request, the new-site step of the wizard and the CSV import.
    """
    data = form.cleaned_data

    def check(field: str, validator, normalizer=None) -> None:
        name = prefix + field
        value = data.get(name)
        if not value or name in form.errors:
            return
        if normalizer is not None:
            value = normalizer(value)
            data[name] = value
        try:
            validator(value)
        except ValidationError as error:
            form.add_error(name, error)

    check("siret", validators.validate_siret, validators.normalize_siret)
    check("vat_number", validators.validate_vat_number, validators.normalize_vat_number)
    check("naf_code", validators.validate_naf_code, validators.normalize_naf_code)
    country = (data.get(prefix + "country") or "FR").upper()
    if prefix + "country" in data:
        data[prefix + "country"] = country
    if country == "FR":
        check("postal_code", validators.validate_french_postal_code, str.strip)
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

    # Wider than the stored values: « 123 456 789 00012 » is accepted, then normalized.
    siret = forms.CharField(label=_("SIRET"), max_length=20, required=False, help_text=_("14 chiffres."))
    vat_number = forms.CharField(
        label=_("numéro de TVA intracommunautaire"),
        max_length=24,
        required=False,
        help_text=_("Par exemple FR40303265045."),
    )

    class Meta:
        model = Site
        fields = list(CHANGEABLE_FIELDS)
        help_texts = {
            "naf_code": _("Par exemple 6202A."),
            "country": _("Code pays à 2 lettres (FR)."),
        }

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
