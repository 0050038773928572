"""Checks and normalisations of the values partners type in the wizard only.

Phone numbers follow the rule every form shares (``sites.validators``), imported here for the
wizard's older imports.

The vendor quote number (« Numéro de devis Divalto ») is ``DEV`` followed by 6 to
10 digits (``DEV0012345``); lower case, spaces and hyphens typed around the digits
are accepted and removed.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sites.validators import PHONE_HELP, format_phone, normalize_phone

__all__ = ["PHONE_HELP", "QUOTE_NUMBER_HELP", "format_phone", "normalize_phone", "normalize_quote_number"]

_QUOTE_NUMBER = re.compile(r"^DEV\d{6,10}$")

QUOTE_NUMBER_HELP = _("DEV suivi de 6 à 10 chiffres, par exemple DEV0012345.")


def normalize_quote_number(value: str) -> str:
    """``DEV`` + 6–10 digits in capitals, or ``ValidationError``; empty stays empty (the number is optional)."""
    compact = re.sub(r"[\s\-]", "", (value or "")).upper()
    if not compact:
        return ""
    if not _QUOTE_NUMBER.match(compact):
        raise ValidationError(
            _("Le numéro de devis Divalto s'écrit DEV suivi de 6 à 10 chiffres, par exemple DEV0012345."),
            code="invalid_quote_number",
        )
    return compact
