from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet
from sites.models import CompanyFields


class OpportunityStage(models.TextChoices):
    OPEN = "open", _("En cours")
    WON = "won", _("Gagnée")
    LOST = "lost", _("Perdue")


class OpportunityQuerySet(PartnerScopedQuerySet):
    pass


class Opportunity(CompanyFields):
    """A sales opportunity of a partner; its company data describe the prospect."""

    number = models.CharField(_("numéro"), max_length=12, unique=True)
    name = models.CharField(_("intitulé"), max_length=200)
    partner = models.ForeignKey(
        "mybusiness.Partner", verbose_name=_("partenaire"), on_delete=models.PROTECT, related_name="opportunities"
    )
    contact_name = models.CharField(_("contact du prospect"), max_length=150, blank=True)
    contact_function = models.CharField(_("fonction du contact"), max_length=100, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    generation = models.ForeignKey(
        "orders.Generation", verbose_name=_("génération"), null=True, blank=True, on_delete=models.PROTECT
    )
    solution = models.ForeignKey(
        "orders.Solution", verbose_name=_("solution"), null=True, blank=True, on_delete=models.PROTECT
    )
    stage = models.CharField(_("étape"), max_length=10, choices=OpportunityStage.choices, default=OpportunityStage.OPEN)
    estimated_amount = models.DecimalField(
        _("montant estimé (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expected_close_date = models.DateField(_("date de clôture prévue"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsable"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunité")
        verbose_name_plural = _("opportunités")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "stage", "number"], name="opportunity_partner_stage")]

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"
