"""Orders, their lines and their timeline."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet
from sites.models import Hosting


class OrderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("order status", "Brouillon")
    SUBMITTED = "submitted", pgettext_lazy("order status", "Soumise")
    RETURNED = "returned", pgettext_lazy("order status", "À corriger")
    REJECTED = "rejected", pgettext_lazy("order status", "Refusée")
    VALIDATED = "validated", pgettext_lazy("order status", "Validée")
    IN_ACTIVATION = "in_activation", pgettext_lazy("order status", "En activation")
    ACTIVATED = "activated", pgettext_lazy("order status", "Activée")
    COMPLETED = "completed", pgettext_lazy("order status", "Terminée")
    CANCELLED = "cancelled", pgettext_lazy("order status", "Annulée")


# Statuses in which the partner may still change the order's content.
EDITABLE_STATUSES = frozenset({OrderStatus.DRAFT, OrderStatus.RETURNED})


class Civility(models.TextChoices):
    MRS = "mrs", _("Madame")
    MR = "mr", _("Monsieur")


class BusinessSector(models.TextChoices):
    INDUSTRY = "industry", _("Industrie")
    TRADE = "trade", _("Négoce et distribution")
    SERVICES = "services", _("Services")
    CONSTRUCTION = "construction", _("BTP")
    FOOD = "food", _("Agroalimentaire")
    HEALTH = "health", _("Santé")
    PUBLIC = "public", _("Secteur public et associations")
    OTHER = "other", _("Autre")


class OrderQuerySet(PartnerScopedQuerySet):
    pass




class Order(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The key of the « Nouveau » form that created this draft: a double click finds the same draft.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Assigned at the first submission (CMD-<year>-<6 digits>); drafts have none.
    number = models.CharField(_("numéro"), max_length=20, unique=True, null=True, blank=True)
    partner = models.ForeignKey(
        "mybusiness.Partner", verbose_name=_("partenaire"), on_delete=models.PROTECT, related_name="orders"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créée par"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=15, choices=OrderStatus.choices,
        default=OrderStatus.DRAFT, db_default=OrderStatus.DRAFT, db_index=False
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, db_default=Now())
    updated_at = models.DateTimeField(_("dernière modification"), default=timezone.now, db_default=Now())
    # Set at each submission: a resubmitted order enters the queue again at its resubmission's date.
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    # The sales administrator handling the order (orders.services.ownership), one at a time.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pris en charge par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    assigned_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)

    # Step 1: type and origin.
    order_type = models.ForeignKey(
        "catalog.OrderType", verbose_name=_("type de commande"), null=True, blank=True, on_delete=models.PROTECT
    )
    origin = models.ForeignKey(
        "catalog.Origin", verbose_name=_("origine"), null=True, blank=True, on_delete=models.PROTECT
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # Step 2: generation, solution (lines hold the references).
    generation = models.ForeignKey(
        "catalog.Generation", verbose_name=_("génération"), null=True, blank=True, on_delete=models.PROTECT
    )
    solution = models.ForeignKey(
        "catalog.Solution", verbose_name=_("solution"), null=True, blank=True, on_delete=models.PROTECT
    )

    # Step 3: an existing site, or the data of a new one.
    site = models.ForeignKey(
        "customer_sites.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    new_site_company_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    new_site_siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    new_site_vat_number = models.CharField(_("numéro de TVA intracommunautaire"), max_length=20, blank=True)
    new_site_naf_code = models.CharField(_("code NAF/APE"), max_length=6, blank=True)
    new_site_address = models.CharField(_("adresse"), max_length=250, blank=True)
    new_site_postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    new_site_city = models.CharField(_("ville"), max_length=100, blank=True)
    new_site_country = models.CharField(_("pays"), max_length=2, blank=True, default="FR", db_default="FR")
    new_site_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    new_site_email = models.EmailField(_("e-mail"), blank=True)
    new_site_hosting = models.CharField(_("hébergement"), max_length=12, choices=Hosting.choices, blank=True)
    # The end customer's name as shown in lists and searched: the site's or the new site's.
    customer_name = models.CharField(_("client"), max_length=200, blank=True)

    # Step 4: main contact and additional data.
    contact_civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    contact_first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    contact_last_name = models.CharField(_("nom"), max_length=100, blank=True)
    contact_function = models.CharField(_("fonction"), max_length=100, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    user_count = models.PositiveIntegerField(_("nombre d'utilisateurs"), null=True, blank=True)
    go_live_date = models.DateField(_("date de démarrage souhaitée"), null=True, blank=True)
    business_sector = models.CharField(
        _("secteur d'activité"), max_length=20, choices=BusinessSector.choices, blank=True
    )
    headcount = models.PositiveIntegerField(_("effectif"), null=True, blank=True)

    # Step 5: certificate delivery.
    delivery_date = models.DateField(_("date de livraison souhaitée"), null=True, blank=True)
    certificate_recipients = models.JSONField(_("destinataires du certificat"), default=list, db_default=[], blank=True)

    # Step 6: further information (documents are OrderDocument rows).
    quote_number = models.CharField(_("numéro de devis Divalto"), max_length=20, blank=True)
    comments = models.TextField(_("commentaires"), blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("commande")
        verbose_name_plural = _("commandes")
        ordering = ["-created_at", "-id"]
        permissions = [("review_order", _("Examiner les commandes (valider, refuser, renvoyer)"))]
        indexes = [
            models.Index(fields=["partner", "-created_at", "-id"], name="order_partner_recent"),
            models.Index(fields=["partner", "status", "-created_at", "-id"], name="order_partner_status"),
            models.Index(fields=["status", "-created_at", "-id"], name="order_status_recent"),
            models.Index(fields=["-created_at", "-id"], name="order_recent"),
            # The sales administration's queue: the submitted orders, oldest submission first.
            models.Index(
                fields=["submitted_at", "id"], name="order_queue", condition=models.Q(status="submitted")
            ),
            # The dashboard's orders received per week by type, and its backlog by age: index-only scans.
            models.Index(fields=["submitted_at", "order_type"], name="order_submitted"),
            models.Index(fields=["status", "submitted_at"], name="order_status_submitted"),
        ]

    def __str__(self) -> str:
        if self.number:
            return self.number
        created = date_format(timezone.localtime(self.created_at), "SHORT_DATE_FORMAT")
        return str(_("Brouillon du %(date)s") % {"date": created})

    @property
    def status_label(self) -> str:
        """The status's label: ``get_status_display()`` rebuilds the whole choice list on every call,
        which a list of orders pays once per row."""
        return OrderStatus(self.status).label

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def display_number(self) -> str:
        return self.number or "—"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("commande"), on_delete=models.CASCADE, related_name="lines")
    reference = models.ForeignKey(
        "catalog.ProductReference", verbose_name=_("référence"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantité"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("ligne de commande")
        verbose_name_plural = _("lignes de commande")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "reference"], name="order_line_unique_reference"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.reference.code}"


class OrderEvent(models.Model):
    """One entry of an order's timeline; written in the transaction of the change it records, never edited."""

    order = models.ForeignKey(Order, verbose_name=_("commande"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_default=Now())
    from_status = models.CharField(_("statut de départ"), max_length=15, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("statut d'arrivée"), max_length=15, choices=OrderStatus.choices, blank=True)
    # A sentence of the portal is recorded as its French source (msgid) and its values, and
    # translated when shown: the timeline reads in the reader's language, not the actor's.
    message = models.TextField(_("message"), blank=True)
    message_params = models.JSONField(_("valeurs du message"), default=dict, db_default={}, blank=True)
    # On a return for correction: the order's answers then (``orders.answers``), to show what changed since.
    answers = models.JSONField(_("réponses à cette date"), default=dict, db_default={}, blank=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["order", "created_at"], name="order_event_timeline"),
            # The dashboard's lead time to validation: the events of one transition, by date.
            models.Index(fields=["to_status", "created_at"], name="order_event_transition"),
        ]

    def __str__(self) -> str:
        return f"{self.order} : {self.transition_label}" if self.transition_label else str(self.order)

    @property
    def transition_label(self) -> str:
        """« Soumise → Validée », « Brouillon » for the first event, "" for an event that changes no status."""
        if not self.to_status:
            return ""
        to = OrderStatus(self.to_status).label
        return f"{OrderStatus(self.from_status).label} → {to}" if self.from_status else str(to)

    @property
    def text(self) -> str:
        """The message in the active language. A text a person typed (a reason) is no msgid and
        comes back unchanged; so do the values, unless one is a label of the catalogs (a kind)."""
        if not self.message:
            return ""
        if not self.message_params:
            return gettext(self.message)
        return gettext(self.message) % {key: gettext(str(value)) for key, value in self.message_params.items()}


class OrderNumberCounter(models.Model):
    """The last order number given per year; its row is locked while a number is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("compteur de numéros de commande")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"
