from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet
from sites.models import CompanyFields
from sites.validators import format_phone


class OpportunityStage(models.TextChoices):
    OPEN = "open", _("En cours")
    WON = "won", _("Gagnée")
    LOST = "lost", _("Perdue")


# Stages in which an opportunity may be linked to an order: a lost deal is never ordered;
# a won one is (the order usually follows the signature).
LINKABLE_STAGES = (OpportunityStage.OPEN, OpportunityStage.WON)

validate_opportunity_number = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{2,11}$",
    _("Un numéro d'opportunité s'écrit en 3 à 12 lettres majuscules, chiffres ou tirets (par exemple OPP-000101)."),
    code="opportunity_number_format",
)


def normalize_opportunity_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


class OpportunityQuerySet(PartnerScopedQuerySet):
    def linkable(self):
        """Opportunities an order may be linked to (not lost)."""
        return self.filter(stage__in=LINKABLE_STAGES)


class Opportunity(CompanyFields):
    """A sales opportunity of a partner; its company data describe the prospect."""

    number = models.CharField(_("numéro"), max_length=12, unique=True, validators=[validate_opportunity_number])
    name = models.CharField(_("intitulé"), max_length=200)
    partner = models.ForeignKey(
        "mybusiness.Partner", verbose_name=_("partenaire"), on_delete=models.PROTECT, related_name="opportunities"
    )
    contact_name = models.CharField(_("contact du prospect"), max_length=150, blank=True)
    contact_function = models.CharField(_("fonction du contact"), max_length=100, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    generation = models.ForeignKey(
        "catalog.Generation", verbose_name=_("génération"), null=True, blank=True, on_delete=models.PROTECT
    )
    solution = models.ForeignKey(
        "catalog.Solution", verbose_name=_("solution"), null=True, blank=True, on_delete=models.PROTECT
    )
    stage = models.CharField(
        _("étape"), max_length=10, choices=OpportunityStage.choices,
        default=OpportunityStage.OPEN, db_default=OpportunityStage.OPEN
    )
    estimated_amount = models.DecimalField(
        _("montant estimé (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expected_close_date = models.DateField(_("date de clôture prévue"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, db_default=Now())

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunité")
        verbose_name_plural = _("opportunités")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "stage", "number"], name="opportunity_partner_stage"),
            # The browse list: the partner's opportunities sorted by number or by prospect name.
            models.Index(fields=["partner", "number"], name="opportunity_partner_number"),
            models.Index(fields=["partner", "company_name", "number"], name="opportunity_partner_company"),
        ]

    @property
    def contact_phone_display(self) -> str:
        return format_phone(self.contact_phone)

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"

    def link_refusal(self) -> str | None:
        """Why no order may be linked to this opportunity as it stands (a sentence), or None."""
        if self.stage not in LINKABLE_STAGES:
            return gettext("L'opportunité %(number)s est perdue : elle ne peut plus faire l'objet d'une commande.") % {
                "number": self.number
            }
        return None

    def get_absolute_url(self) -> str:
        return reverse("opportunity_detail", args=[self.number])

    @property
    def is_linkable(self) -> bool:
        return self.stage in LINKABLE_STAGES

    def clean(self) -> None:
        super().clean()
        if self.solution_id and not self.generation_id:
            self.generation_id = self.solution.generation_id
        if self.solution_id and self.generation_id and self.solution.generation_id != self.generation_id:
            raise ValidationError({"solution": _("Cette solution n'appartient pas à la génération choisie.")})

    def contact_name_parts(self) -> tuple[str, str, str]:
        """The prospect contact's (civility, first name, last name), see ``split_person_name``."""
        return split_person_name(self.contact_name)


_CIVILITIES = {
    "m": "mr", "m.": "mr", "mr": "mr", "mr.": "mr", "monsieur": "mr",
    "mme": "mrs", "mme.": "mrs", "madame": "mrs", "mlle": "mrs", "mlle.": "mrs", "mademoiselle": "mrs",
    "mrs": "mrs", "mrs.": "mrs", "ms": "mrs", "ms.": "mrs",
}
# Titles that are neither a civility nor part of the name.
_TITLES = {"dr", "dr.", "docteur", "pr", "pr.", "professeur", "me", "me.", "maître", "maitre"}


def split_person_name(full_name: str) -> tuple[str, str, str]:
    """Split « Mme Marie-Claire DE LA FONTAINE » into ("mrs", "Marie-Claire", "DE LA FONTAINE").

    CRMs write names in two ways: « Prénom Nom » and « NOM Prénom » (the family name in capitals).
    Words written wholly in capitals are the family name when some words are not; otherwise the
    first word is the first name and the rest the family name (« Jean de La Fontaine »). A single
    word is a family name. The civility is "mr", "mrs" or "" (a leading « M. », « Mme »…).
    """
    words = (full_name or "").split()
    civility = ""
    if words and words[0].casefold() in _CIVILITIES:
        civility = _CIVILITIES[words[0].casefold()]
        words = words[1:]
    while words and words[0].casefold() in _TITLES:
        words = words[1:]
    if not words:
        return civility, "", ""
    if len(words) == 1:
        return civility, "", words[0]

    def in_capitals(word: str) -> bool:
        letters = [c for c in word if c.isalpha()]
        return len(letters) > 1 and all(c.isupper() for c in letters)

    capitals = [in_capitals(word) for word in words]
    if any(capitals) and not all(capitals):
        first = [w for w, caps in zip(words, capitals, strict=True) if not caps]
        last = [w for w, caps in zip(words, capitals, strict=True) if caps]
        return civility, " ".join(first), " ".join(last)
    return civility, words[0], " ".join(words[1:])
