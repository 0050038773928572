"""The catalog: data that sales admins edit in Django admin, never rules written on labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteMode(models.TextChoices):
    NEW = "new", _("Nouveau site")
    EXISTING = "existing", _("Site existant")


class OpportunityRule(models.TextChoices):
    NONE = "none", _("Sans opportunité")
    OPTIONAL = "optional", _("Opportunité facultative")
    REQUIRED = "required", _("Opportunité obligatoire")


class ReferenceKind(models.TextChoices):
    LICENCE = "licence", _("Licence")
    MODULE = "module", _("Module")
    SERVICE = "service", _("Service")
    ODATA = "odata", _("Connecteur OData")


class ODataTarget(models.TextChoices):
    ERP = "erp", _("ERP")
    CRM = "crm", _("CRM")


class ODataQuota(models.TextChoices):
    STANDARD = "standard", _("Quota standard")
    EXTENDED = "extended", _("Quota étendu")


class CatalogEntry(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    is_active = models.BooleanField(_("actif"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Origin(CatalogEntry):
    """Where the order's customer comes from: it decides which site and opportunity fields appear."""

    site_mode = models.CharField(_("mode de site"), max_length=10, choices=SiteMode.choices)
    opportunity_rule = models.CharField(
        _("opportunité"), max_length=10, choices=OpportunityRule.choices, default=OpportunityRule.OPTIONAL
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("origine")
        verbose_name_plural = _("origines")


class OrderType(CatalogEntry):
    origins = models.ManyToManyField(Origin, verbose_name=_("origines permises"), related_name="order_types")
    # An OData activation order is checked against the OData rules (design §7).
    is_odata_eligible = models.BooleanField(
        _("peut porter une activation OData"),
        default=False,
        help_text=_("Commande additionnelle sur un site existant : les références OData y sont permises."),
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("type de commande")
        verbose_name_plural = _("types de commande")


class Generation(CatalogEntry):
    order_types = models.ManyToManyField(
        OrderType, verbose_name=_("types de commande permis"), related_name="generations"
    )
    site_modes = models.JSONField(
        _("modes de site permis"),
        default=list,
        help_text=_("Liste parmi « new » et « existing »."),
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("génération")
        verbose_name_plural = _("générations")

    def allows(self, *, order_type_id: int | None, site_mode: str | None) -> bool:
        type_ok = order_type_id is None or any(t.pk == order_type_id for t in self.order_types.all())
        mode_ok = site_mode is None or site_mode in (self.site_modes or [])
        return type_ok and mode_ok


class Solution(CatalogEntry):
    generation = models.ForeignKey(
        Generation, verbose_name=_("génération"), on_delete=models.PROTECT, related_name="solutions"
    )
    # Which OData connectors fit a site running this solution (design §7).
    odata_targets = models.JSONField(
        _("cibles OData"), default=list, blank=True, help_text=_("Liste parmi « erp » et « crm ».")
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")


class ProductReference(CatalogEntry):
    solutions = models.ManyToManyField(Solution, verbose_name=_("solutions"), related_name="references")
    kind = models.CharField(_("nature"), max_length=10, choices=ReferenceKind.choices, default=ReferenceKind.LICENCE)
    odata_target = models.CharField(_("cible OData"), max_length=3, choices=ODataTarget.choices, blank=True)
    odata_quota = models.CharField(_("quota OData"), max_length=10, choices=ODataQuota.choices, blank=True)
    needs_cloud_activation = models.BooleanField(_("activation cloud nécessaire"), default=False)

    class Meta(CatalogEntry.Meta):
        verbose_name = _("référence article")
        verbose_name_plural = _("références article")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="odata") & ~models.Q(odata_target="") & ~models.Q(odata_quota=""))
                | (~models.Q(kind="odata") & models.Q(odata_target="") & models.Q(odata_quota="")),
                name="reference_odata_fields_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"
