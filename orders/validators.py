"""Checks and normalisations of the values partners type in the wizard.

Phone numbers are stored in E.164 (``+33612345678``): one spelling per number,
whatever the partner typed (``06 12 34 56 78``, ``06.12.34.56.78``,
``+33 (0)6 12 34 56 78``, ``0033 6 12 34 56 78``).

The vendor quote number (« Numéro de devis Divalto ») is ``DEV`` followed by 6 to
10 digits (``DEV0012345``); lower case, spaces and hyphens typed around the digits
are accepted and removed.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_FRENCH_NATIONAL = re.compile(r"^0[1-9]\d{8}$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_QUOTE_NUMBER = re.compile(r"^DEV\d{6,10}$")

PHONE_HELP = _("Un numéro français (06 12 34 56 78) ou international (+44 20 7946 0958).")
QUOTE_NUMBER_HELP = _("DEV suivi de 6 à 10 chiffres, par exemple DEV0012345.")


def normalize_phone(value: str) -> str:
    """The E.164 form of a French or international phone number; ``ValidationError`` if it is neither."""
    raw = (value or "").strip()
    # « +33 (0)6 … »: the trunk zero in brackets is written by habit, not dialled.
    raw = raw.replace("(0)", "")
    compact = _PHONE_SEPARATORS.sub("", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if _FRENCH_NATIONAL.match(compact):
        return "+33" + compact[1:]
    if compact.startswith("+33"):
        national = compact[3:]
        if len(national) == 9 and national.isdigit() and national[0] != "0":
            return compact
        raise ValidationError(
            _("Un numéro français a 10 chiffres (06 12 34 56 78), soit 9 après +33."), code="invalid_phone"
        )
    if _E164.match(compact):
        return compact
    raise ValidationError(
        _("Saisissez un numéro français (06 12 34 56 78) ou international commençant par + (+44 20 7946 0958)."),
        code="invalid_phone",
    )


def format_phone(value: str) -> str:
    """A stored E.164 number as people read it: French numbers by pairs, others unchanged."""
    if value and value.startswith("+33") and len(value) == 12:
        national = "0" + value[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return value or ""


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
