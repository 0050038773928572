"""Licence and OData activation certificates, delivered once per order and kind."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet


class CertificateKind(models.TextChoices):
    LICENCE = "licence", _("Certificat de licence")
    ODATA = "odata", _("Certificat d'activation OData")


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    # A random folder per file: the storage key cannot be guessed from the order or certificate number.
    return f"certificates/{uuid.uuid4().hex}/{filename}"


class CertificateQuerySet(PartnerScopedQuerySet):
    partner_lookup = "order__partner"


class Certificate(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("commande"), on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("nature"), max_length=10, choices=CertificateKind.choices)
    number = models.CharField(_("numéro"), max_length=40, unique=True)
    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, max_length=200)
    issued_at = models.DateTimeField(_("émis le"), default=timezone.now, db_default=Now())
    # Set when the first delivery email is claimed; NULL means « still to send » (the sweep retries it).
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    recipients = models.JSONField(_("destinataires"), default=list, db_default=[], blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificat")
        verbose_name_plural = _("certificats")
        ordering = ["-issued_at", "-id"]
        permissions = [("resend_certificate", _("Renvoyer un certificat à ses destinataires"))]
        constraints = [
            # Issuing twice (two workers, a retried task) never makes a second certificate.
            models.UniqueConstraint(fields=["order", "kind"], name="certificate_one_per_order_and_kind"),
        ]
        indexes = [
            models.Index(fields=["sent_at"], name="certificate_unsent", condition=models.Q(sent_at=None)),
            # The dashboard's lead time to the certificate sent, by the month it was sent.
            models.Index(fields=["sent_at"], name="certificate_sent", condition=models.Q(sent_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def filename(self) -> str:
        return f"{self.number}.pdf"
