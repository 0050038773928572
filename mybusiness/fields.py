"""Form fields for the kinds of value every form holds the same way: portal, back office and CSV imports.

A field of a kind checks and normalises its value in ``to_python``, so the cleaned value is the one
stored, and ``has_changed`` compares the stored and the typed value in that one spelling. The email
kind lives here (a user's address is one); phones, countries and company identifiers in
``sites.fields``. ``formfield_with_rules`` is the ``formfield_callback`` that gives model forms, the
admin's included, the field of each kind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

EMAIL_INVALID = _("Saisissez une adresse e-mail valide, par exemple prenom.nom@societe.fr.")


class NormalizedCharField(forms.CharField):
    """A text field whose value is normalised (``normalize``) before its validators run."""

    default_help_text = ""
    default_max_length: int | None = None

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        kwargs.setdefault("max_length", self.default_max_length)
        super().__init__(**kwargs)

    def normalize(self, value: str) -> str:
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return value if value in self.empty_values else self.normalize(value)

    def has_changed(self, initial, data):
        # A stored value this kind cannot read (written before the rule) compares as it is.
        with contextlib.suppress(ValidationError):
            initial = self.to_python(initial)
        return super().has_changed(initial, data)


class EmailField(forms.EmailField):
    """An email address: checked, stripped and lowercased (addresses are compared without case)."""

    default_error_messages = {"invalid": EMAIL_INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).lower()

    def has_changed(self, initial, data):
        return super().has_changed(self.to_python(initial), data)


def normalize_email(value: str) -> str:
    """``value`` as every form stores an address, or ``ValidationError`` with the shared message."""
    return EmailField().clean(value)


def field_class_for(db_field: models.Field) -> type[forms.Field] | None:
    """The field of the kind a model field holds, ``None`` for a field of no shared kind."""
    return EmailField if isinstance(db_field, models.EmailField) else None


def formfield_with_rules(
    db_field: models.Field, *, field_class_for: Callable = field_class_for, **kwargs
) -> forms.Field | None:
    """A model field's form field: the field of its kind if it has one, Django's otherwise."""
    field_class = field_class_for(db_field)
    if field_class is None:
        return db_field.formfield(**kwargs)
    kwargs.setdefault("label", capfirst(db_field.verbose_name))
    kwargs.setdefault("required", not db_field.blank)
    if db_field.has_default():
        kwargs.setdefault("initial", db_field.get_default())
    return field_class(**kwargs)
