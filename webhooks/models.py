"""Partners' webhook endpoints, and the messages sent to them (an outbox: ``webhooks.services``)."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    ORDER_SUBMITTED = "order.submitted", _("Commande soumise")
    ORDER_RETURNED = "order.returned", _("Commande à corriger")
    ORDER_VALIDATED = "order.validated", _("Commande validée")
    ORDER_REJECTED = "order.rejected", _("Commande refusée")
    ORDER_ACTIVATED = "order.activated", _("Commande activée")
    ORDER_COMPLETED = "order.completed", _("Commande terminée (certificat envoyé)")
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificat émis")
    CHANGE_REQUEST_DECIDED = "site_change_request.decided", _("Demande de changement de site traitée")


# Sent by « Tester » only; nobody subscribes to it.
TEST_EVENT = "webhook.test"


class WebhookEndpoint(models.Model):
    """An HTTPS address of a partner's system, told of the events it picked, each message signed with its
    secret (Standard Webhooks). A rotated secret still signs beside the new one until ``previous_secret_until``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        "mybusiness.Partner", verbose_name=_("partenaire"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("adresse"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("événements"), default=list)
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("actif"), default=True, db_default=True)
    disabled_at = models.DateTimeField(_("désactivé le"), null=True, blank=True)
    disabled_reason = models.TextField(_("motif de la désactivation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_default=Now(), editable=False)
    # The form's creation key: a double click on « Ajouter » adds one endpoint.
    creation_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("point de réception de webhooks")
        verbose_name_plural = _("points de réception de webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    DELIVERED = "delivered", _("reçu")
    FAILED = "failed", _("abandonné")


class WebhookMessage(models.Model):
    """One event for one endpoint, recorded in the transaction of the change it tells (the outbox pattern),
    then sent and retried by Celery until delivered or 24 hours old."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    # The ``webhook-id``: the same through every retry, so that the receiver recognises a message twice.
    msg_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(_("événement"), max_length=40)
    payload = models.JSONField(_("contenu"))
    status = models.CharField(
        _("statut"), max_length=10, choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING, db_default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0, db_default=0)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_default=Now(), editable=False)
    # When the sweep queues it again if it is still pending (after a failure: the backoff's next try).
    next_attempt_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("reçu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message de webhook")
        verbose_name_plural = _("messages de webhooks")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="webhook_pending_due_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_endpoint_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"

    @property
    def payload_json(self) -> str:
        """The body as the endpoint receives it, indented for the delivery log."""
        return json.dumps(self.payload, indent=2, ensure_ascii=False)

    @property
    def last_attempt(self):
        """The latest try, from the attempts the log prefetched (``selectors.endpoint_log``)."""
        attempts = list(self.attempt_log.all())
        return attempts[-1] if attempts else None


class WebhookAttempt(models.Model):
    """One try at sending a message: what the endpoint answered, and how long it took."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("le"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("code de réponse"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    response_excerpt = models.CharField(_("début de la réponse"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("essai d'envoi")
        verbose_name_plural = _("essais d'envoi")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status_code or self.error}"
