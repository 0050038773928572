from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet


class Hosting(models.TextChoices):
    SAAS = "saas", _("Cloud éditeur (SaaS)")
    ON_PREMISE = "on_premise", _("Sur site (on-premise)")


class SiteStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    CLOSED = "closed", _("Fermé")


class SiteQuerySet(PartnerScopedQuerySet):
    pass


class CompanyFields(models.Model):
    """The company data shared by a customer site, a new site in an order and a prospect."""

    company_name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    vat_number = models.CharField(_("numéro de TVA intracommunautaire"), max_length=20, blank=True)
    naf_code = models.CharField(_("code NAF/APE"), max_length=6, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country = models.CharField(_("pays"), max_length=2, default="FR")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        abstract = True


class Site(CompanyFields):
    """A customer site: one installation of the vendor's software at an end customer."""

    number = models.CharField(_("numéro de site"), max_length=7, unique=True)
    partner = models.ForeignKey(
        "mybusiness.Partner",
        verbose_name=_("partenaire intégrateur"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    hosting = models.CharField(_("hébergement"), max_length=12, choices=Hosting.choices, default=Hosting.SAAS)
    generation = models.ForeignKey(
        "orders.Generation", verbose_name=_("génération"), null=True, blank=True, on_delete=models.PROTECT
    )
    solution = models.ForeignKey(
        "orders.Solution", verbose_name=_("solution"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("statut"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.ACTIVE)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site client")
        verbose_name_plural = _("sites clients")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["partner", "number"], name="site_partner_number"),
            models.Index(fields=["partner", "company_name"], name="site_partner_name"),
            models.Index(fields=["siret"], name="site_siret"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.company_name}"
