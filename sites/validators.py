"""Checks of company identifiers, phones and countries, shared by every form and by the CSV imports.

Each ``validate_*`` raises a ``ValidationError`` with a French message (translated
through the catalog); each ``normalize_*`` gives the canonical spelling stored.

Phone numbers are stored in E.164 (``+33612345678``): one spelling per number,
whatever the partner typed (``06 12 34 56 78``, ``06.12.34.56.78``,
``+33 (0)6 12 34 56 78``, ``0033 6 12 34 56 78``). Countries are ISO 3166-1 alpha-2 codes.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_HELP = _("Un numéro français (06 12 34 56 78) ou international (+44 20 7946 0958).")
COUNTRY_HELP = _("Code pays à 2 lettres (FR).")
SIRET_HELP = _("14 chiffres.")
VAT_NUMBER_HELP = _("Par exemple FR40303265045.")
NAF_CODE_HELP = _("Par exemple 6202A.")

SITE_NUMBER_RE = re.compile(r"^C\d{6}$")
NAF_RE = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")
VAT_FR_RE = re.compile(r"^FR([0-9A-HJ-NP-Z]{2})(\d{9})$")
# Any other EU number: two letters then 2 to 13 letters or digits (checked by the member state).
VAT_EU_RE = re.compile(r"^[A-Z]{2}[0-9A-Z+*]{2,13}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-/()]")
_FRENCH_NATIONAL = re.compile(r"^0[1-9]\d{8}$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
# The 249 officially assigned ISO 3166-1 alpha-2 codes.
_ISO_3166_ALPHA_2 = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
    BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI
    FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN
    IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
    MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
    PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE
    YT ZA ZM ZW
"""
COUNTRY_CODES = frozenset(_ISO_3166_ALPHA_2.split())
# La Poste's establishments share one SIREN whose SIRETs follow another key (digit sum divisible by 5).
LA_POSTE_SIREN = "356000000"


def _digits_only(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def normalize_siret(value: str) -> str:
    return _digits_only(value)


def validate_siret(value: str) -> None:
    siret = normalize_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValidationError(_("Le SIRET doit comporter exactement 14 chiffres."), code="siret_format")
    if siret.startswith(LA_POSTE_SIREN):
        if sum(int(c) for c in siret) % 5 == 0:
            return
    elif luhn_is_valid(siret):
        return
    raise ValidationError(
        _("Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas (vérifiez les chiffres saisis)."),
        code="siret_key",
    )


def normalize_vat_number(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def french_vat_key(siren: str) -> int:
    return (12 + 3 * (int(siren) % 97)) % 97


def validate_vat_number(value: str) -> None:
    vat = normalize_vat_number(value)
    match = VAT_FR_RE.fullmatch(vat)
    if vat.startswith("FR"):
        if not match:
            raise ValidationError(
                _("Un numéro de TVA français s'écrit FR, une clé de 2 caractères puis les 9 chiffres du SIREN "
                  "(par exemple FR40303265045)."),
                code="vat_format",
            )
        key, siren = match.groups()
        if not luhn_is_valid(siren) and siren != LA_POSTE_SIREN:
            raise ValidationError(_("Le SIREN contenu dans ce numéro de TVA n'est pas valide."), code="vat_siren")
        if key.isdigit() and int(key) != french_vat_key(siren):
            raise ValidationError(
                _("La clé de ce numéro de TVA ne correspond pas au SIREN (clé attendue : %(key)02d).")
                % {"key": french_vat_key(siren)},
                code="vat_key",
            )
        return
    if not VAT_EU_RE.fullmatch(vat):
        raise ValidationError(
            _("Ce numéro de TVA intracommunautaire n'a pas un format reconnu (code pays puis numéro)."),
            code="vat_format",
        )


def validate_french_postal_code(value: str) -> None:
    code = (value or "").strip()
    if not re.fullmatch(r"\d{5}", code):
        raise ValidationError(_("Un code postal français comporte 5 chiffres."), code="postal_code_format")
    department = int(code[:2])
    if 1 <= department <= 95:
        return
    overseas = int(code[:3])
    if 971 <= overseas <= 978 or overseas in (980, 984, 986, 987, 988):
        return
    raise ValidationError(
        _("Le code postal %(code)s ne correspond à aucun département français.") % {"code": code},
        code="postal_code_department",
    )


def normalize_naf_code(value: str) -> str:
    match = NAF_RE.fullmatch((value or "").strip().upper())
    return f"{match.group(1)}{match.group(2)}{match.group(3)}" if match else (value or "").strip().upper()


def validate_naf_code(value: str) -> None:
    if not NAF_RE.fullmatch((value or "").strip().upper()):
        raise ValidationError(
            _("Le code NAF/APE s'écrit 4 chiffres suivis d'une lettre (par exemple 6202A)."), code="naf_format"
        )


def validate_site_number(value: str) -> None:
    if not SITE_NUMBER_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Un numéro de site s'écrit C suivi de 6 chiffres (par exemple C012345)."), code="site_number_format"
        )


def normalize_company_name(value: str) -> str:
    """The name as compared for duplicates: no case, no accents, punctuation and spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", without_accents.casefold()).strip()


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


def normalize_country(value: str) -> str:
    return (value or "").strip().upper()


def validate_country(value: str) -> None:
    if normalize_country(value) not in COUNTRY_CODES:
        raise ValidationError(
            _("Saisissez un code pays ISO à 2 lettres, par exemple FR pour la France ou BE pour la Belgique."),
            code="country_code",
        )
