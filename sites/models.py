from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet
from sites.validators import format_phone


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
    country = models.CharField(_("pays"), max_length=2, default="FR", db_default="FR")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        abstract = True

    @property
    def phone_display(self) -> str:
        """The phone as people read it (``04 72 00 00 01``; stored in E.164)."""
        return format_phone(self.phone)


class Site(CompanyFields):
    """A customer site: one installation of the vendor's software at an end customer."""

    number = models.CharField(_("numéro de site"), max_length=7, unique=True)
    partner = models.ForeignKey(
        "mybusiness.Partner",
        verbose_name=_("partenaire intégrateur"),
        on_delete=models.PROTECT,
        related_name="sites",
    )
    hosting = models.CharField(
        _("hébergement"), max_length=12, choices=Hosting.choices, default=Hosting.SAAS, db_default=Hosting.SAAS
    )
    generation = models.ForeignKey(
        "catalog.Generation", verbose_name=_("génération"), null=True, blank=True, on_delete=models.PROTECT
    )
    solution = models.ForeignKey(
        "catalog.Solution", verbose_name=_("solution"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.ACTIVE, db_default=SiteStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_default=Now())

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

    def get_absolute_url(self) -> str:
        return reverse("site_detail", args=[self.number])

    def changeable_data(self) -> list[tuple[str, object]]:
        """(label, value) of the data a partner may ask to correct, for read-only displays (phones as people
        read them)."""
        shown = {"phone": self.phone_display}
        return [
            (self._meta.get_field(name).verbose_name, shown.get(name, getattr(self, name)))
            for name in CHANGEABLE_FIELDS
        ]


# The site data a partner may ask to correct (hosting, generation and solution change through orders).
CHANGEABLE_FIELDS: tuple[str, ...] = (
    "company_name",
    "siret",
    "vat_number",
    "naf_code",
    "address",
    "postal_code",
    "city",
    "country",
    "phone",
    "email",
)


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Acceptée")
    PARTIALLY_APPROVED = "partial", _("Acceptée en partie")
    REJECTED = "rejected", _("Refusée")


class FieldDecision(models.TextChoices):
    PENDING = "pending", _("À examiner")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class SiteChangeRequestQuerySet(PartnerScopedQuerySet):
    partner_lookup = "site__partner"


class SiteChangeRequest(models.Model):
    """A partner's request to correct a site's data: one ``SiteChangeRequestField`` per changed field."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("demandée par"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now, db_default=Now())
    status = models.CharField(
        _("statut"), max_length=10, choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING, db_default=ChangeRequestStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examinée par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)

    objects = SiteChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de changement des informations site")
        verbose_name_plural = _("demandes de changement des informations site")
        ordering = ["-created_at", "-id"]
        permissions = [("review_sitechangerequest", _("Examiner les demandes de changement des informations site"))]
        constraints = [
            # One request at a time per site: a second one is refused while the first is pending.
            models.UniqueConstraint(
                fields=["site"], condition=Q(status="pending"), name="site_change_request_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="site_change_request_status")]

    def __str__(self) -> str:
        return f"{self.site.number} — {date_format(timezone.localtime(self.created_at), 'SHORT_DATETIME_FORMAT')}"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeRequestStatus.PENDING


class SiteChangeRequestField(models.Model):
    """One changed field of a request, with the sales admin's decision on it."""

    change_request = models.ForeignKey(
        SiteChangeRequest, verbose_name=_("demande"), on_delete=models.CASCADE, related_name="fields"
    )
    field_name = models.CharField(_("champ"), max_length=30)
    old_value = models.TextField(_("valeur actuelle"), blank=True)
    new_value = models.TextField(_("valeur demandée"), blank=True)
    decision = models.CharField(
        _("décision"), max_length=10, choices=FieldDecision.choices,
        default=FieldDecision.PENDING, db_default=FieldDecision.PENDING
    )
    reason = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        verbose_name = _("champ modifié")
        verbose_name_plural = _("champs modifiés")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["change_request", "field_name"], name="site_change_field_unique"),
        ]

    def __str__(self) -> str:
        return str(self.field_label)

    # The values as people read them (a phone is stored in E.164).
    @property
    def old_text(self) -> str:
        return format_phone(self.old_value) if self.field_name == "phone" else self.old_value

    @property
    def new_text(self) -> str:
        return format_phone(self.new_value) if self.field_name == "phone" else self.new_value

    @property
    def field_label(self) -> str:
        try:
            return str(Site._meta.get_field(self.field_name).verbose_name)
        except FieldDoesNotExist:
            # An empty row (e.g. the admin's form for a row id that does not exist) has no label to show.
            return self.field_name


class SiteEventKind(models.TextChoices):
    CREATED = "created", _("Site créé")
    IMPORTED = "imported", _("Site mis à jour par import")
    CHANGE_REQUESTED = "change_requested", _("Demande de changement soumise")
    CHANGE_REVIEWED = "change_reviewed", _("Demande de changement examinée")


class SiteEvent(models.Model):
    """The site's history (append-only): who did what, when, with the data changed."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("événement"), max_length=20, choices=SiteEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_default=Now())
    change_request = models.ForeignKey(
        SiteChangeRequest, verbose_name=_("demande"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="events",
    )
    data = models.JSONField(_("données"), default=dict, db_default={}, blank=True)

    class Meta:
        verbose_name = _("événement du site")
        verbose_name_plural = _("événements des sites")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["site", "-created_at"], name="site_event_site_recent")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.kind}"
