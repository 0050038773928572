"""The form fields of the site data's kinds (phone, country, SIRET, VAT number, NAF code), one per kind,
used by every form that holds one: the change request, the wizard's steps, the CSV imports and the
admin. The email kind is ``mybusiness.fields.EmailField``; rules between fields (a French postal code in
France, the VAT number's SIREN) are ``sites.forms.clean_company_data``."""

from __future__ import annotations

from functools import partial

from django import forms
from django.db import models

from mybusiness import fields as base_fields
from sites import validators


class TelInput(forms.TextInput):
    input_type = "tel"


class PhoneField(base_fields.NormalizedCharField):
    """A phone number, stored in E.164 and shown as people read it (``06 12 34 56 78``)."""

    widget = TelInput
    default_help_text = validators.PHONE_HELP
    default_max_length = 30

    def normalize(self, value: str) -> str:
        return validators.normalize_phone(value)

    def prepare_value(self, value):
        return validators.format_phone(value) if isinstance(value, str) else value

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "tel"}


class CountryField(base_fields.NormalizedCharField):
    """An ISO 3166-1 alpha-2 country code, in capitals."""

    default_help_text = validators.COUNTRY_HELP
    default_max_length = 2
    default_validators = [validators.validate_country]

    def normalize(self, value: str) -> str:
        return validators.normalize_country(value)


class SiretField(base_fields.NormalizedCharField):
    """14 digits with a valid key; spaces, dots and hyphens typed between them are removed."""

    default_help_text = validators.SIRET_HELP
    # Wider than the stored 14 digits: « 732 829 320 00074 » is accepted, then normalised.
    default_max_length = 20
    default_validators = [validators.validate_siret]

    def normalize(self, value: str) -> str:
        return validators.normalize_siret(value)


class VatNumberField(base_fields.NormalizedCharField):
    default_help_text = validators.VAT_NUMBER_HELP
    default_max_length = 24
    default_validators = [validators.validate_vat_number]

    def normalize(self, value: str) -> str:
        return validators.normalize_vat_number(value)


class NafCodeField(base_fields.NormalizedCharField):
    default_help_text = validators.NAF_CODE_HELP
    default_max_length = 7
    default_validators = [validators.validate_naf_code]

    def normalize(self, value: str) -> str:
        return validators.normalize_naf_code(value)


# A model field holds a kind by its name, alone or after a prefix (``phone``, ``new_site_phone``,
# ``contact_phone``); emails by their model field's type.
FIELD_CLASSES_BY_NAME: dict[str, type[forms.Field]] = {
    "phone": PhoneField,
    "country": CountryField,
    "siret": SiretField,
    "vat_number": VatNumberField,
    "naf_code": NafCodeField,
}


def field_class_for(db_field: models.Field) -> type[forms.Field] | None:
    for kind, field_class in FIELD_CLASSES_BY_NAME.items():
        if db_field.name == kind or db_field.name.endswith("_" + kind):
            return field_class
    return base_fields.field_class_for(db_field)


#: The ``formfield_callback`` of the model forms holding site data (``Meta.formfield_callback``).
formfield = partial(base_fields.formfield_with_rules, field_class_for=field_class_for)
