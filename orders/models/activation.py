"""The cloud team's technical activation of a validated order."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivationStatus(models.TextChoices):
    PENDING = "pending", _("À transmettre")
    NOTIFIED = "notified", _("À faire")
    BLOCKED = "blocked", _("Bloquée")
    DONE = "done", _("Activée")


# The environments for which the cloud team enters a service address (OData).
SERVICE_ENVIRONMENTS = (("production", _("Production")), ("recette", _("Recette")))


class Activation(models.Model):
    """Opened with the validation of an order that needs a cloud activation.

    The hand-off (``orders.services.handoff``) notifies the cloud team once:
    ``notified_at`` is set in the transaction that sends the email, and
    ``notification_count`` counts the committed notifications (1 in a healthy life).
    ``queued_at`` is when the hand-off task was last queued: the periodic sweep
    re-queues the hand-offs still pending long after it.
    """

    order = models.OneToOneField(
        "orders.Order", verbose_name=_("commande"), on_delete=models.CASCADE, related_name="activation"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ActivationStatus.choices,
        default=ActivationStatus.PENDING, db_default=ActivationStatus.PENDING
    )
    created_at = models.DateTimeField(_("validée le"), default=timezone.now, db_default=Now())
    queued_at = models.DateTimeField(_("transmission demandée le"), default=timezone.now, db_default=Now())
    notified_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    notification_count = models.PositiveSmallIntegerField(_("notifications envoyées"), default=0, db_default=0)
    done_at = models.DateTimeField(_("activée le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    blocked_at = models.DateTimeField(_("bloquée le"), null=True, blank=True)
    blocked_reason = models.TextField(_("motif du blocage"), blank=True)
    # The cloud technician handling the activation (orders.services.ownership), one at a time.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prise en charge par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    assigned_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    # {"production": "https://…", "recette": "https://…"} for OData connectors.
    service_urls = models.JSONField(_("adresses du service"), default=dict, db_default={}, blank=True)

    class Meta:
        verbose_name = _("activation")
        verbose_name_plural = _("activations")
        ordering = ["created_at", "id"]
        permissions = [("work_activation", _("Traiter les activations (équipe cloud)"))]
        indexes = [
            models.Index(fields=["status", "created_at"], name="activation_status_age"),
            # The dashboard's lead time to activation, by the month it was done.
            models.Index(
                fields=["done_at", "created_at"], name="activation_done",
                condition=models.Q(done_at__isnull=False),
            ),
            models.Index(
                fields=["queued_at"], name="activation_pending_handoff", condition=models.Q(notified_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return str(_("Activation de %(order)s") % {"order": self.order})
