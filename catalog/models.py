"""The catalog: data that sales admins edit in Django admin, never rules written on labels.

The models lived in the orders app until sites and opportunities needed them too: their tables keep
the orders app's names (``db_table``), so moving them copied no row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
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
    label = models.CharField(_("libellé (français)"), max_length=200)
    label_en = models.CharField(
        _("libellé (anglais)"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("Montré aux utilisateurs qui lisent le portail en anglais ; vide, le libellé français."),
    )
    is_active = models.BooleanField(_("actif"), default=True, db_default=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0, db_default=0)

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label in the active language: English when it is English and the row has one."""
        return label_in(get_language(), self.label, self.label_en)


def label_in(language: str | None, label: str, label_en: str) -> str:
    """A catalog row's label in ``language`` (French, the source language, for any other one)."""
    if label_en and (language or "").split("-")[0] == "en":
        return label_en
    return label


class Origin(CatalogEntry):
    """Where the order's customer comes from: it decides which site and opportunity fields appear."""

    site_mode = models.CharField(_("mode de site"), max_length=10, choices=SiteMode.choices)
    opportunity_rule = models.CharField(
        _("opportunité"),
        max_length=10,
        choices=OpportunityRule.choices,
        default=OpportunityRule.OPTIONAL,
        db_default=OpportunityRule.OPTIONAL,
    )

    class Meta(CatalogEntry.Meta):
        db_table = "orders_origin"
        verbose_name = _("origine")
        verbose_name_plural = _("origines")


class OrderType(CatalogEntry):
    origins = models.ManyToManyField(Origin, verbose_name=_("origines permises"), related_name="order_types")
    # An OData activation order is checked against the OData rules (design §7).
    is_odata_eligible = models.BooleanField(
        _("peut porter une activation OData"),
        default=False,
        db_default=False,
        help_text=_("Commande additionnelle sur un site existant : les références OData y sont permises."),
    )

    class Meta(CatalogEntry.Meta):
        db_table = "orders_ordertype"
        verbose_name = _("type de commande")
        verbose_name_plural = _("types de commande")


class Generation(CatalogEntry):
    order_types = models.ManyToManyField(
        OrderType, verbose_name=_("types de commande permis"), related_name="generations"
    )
    site_modes = models.JSONField(
        _("modes de site permis"),
        default=list,
        db_default=[],
        help_text=_("Liste parmi « new » et « existing »."),
    )

    class Meta(CatalogEntry.Meta):
        db_table = "orders_generation"
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
        _("cibles OData"), default=list, db_default=[], blank=True, help_text=_("Liste parmi « erp » et « crm ».")
    )

    class Meta(CatalogEntry.Meta):
        db_table = "orders_solution"
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")


class ProductReference(CatalogEntry):
    solutions = models.ManyToManyField(Solution, verbose_name=_("solutions"), related_name="references")
    kind = models.CharField(
        _("nature"),
        max_length=10,
        choices=ReferenceKind.choices,
        default=ReferenceKind.LICENCE,
        db_default=ReferenceKind.LICENCE,
    )
    odata_target = models.CharField(_("cible OData"), max_length=3, choices=ODataTarget.choices, blank=True)
    odata_quota = models.CharField(_("quota OData"), max_length=10, choices=ODataQuota.choices, blank=True)
    needs_cloud_activation = models.BooleanField(_("activation cloud nécessaire"), default=False, db_default=False)

    class Meta(CatalogEntry.Meta):
        db_table = "orders_productreference"
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
        return f"{self.code} — {self.display_label}"
