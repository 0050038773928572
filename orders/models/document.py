"""Documents attached to an order (the signed purchase order and others)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet


class DocumentKind(models.TextChoices):
    PURCHASE_ORDER = "purchase_order", _("Bon de commande")
    OTHER = "other", _("Autre")


def document_storage_key(instance: OrderDocument, filename: str) -> str:
    """``orders/<order public_id>/<random>``: nothing the user typed reaches the storage path."""
    return f"orders/{instance.order.public_id}/{uuid.uuid4().hex}"


class OrderDocumentQuerySet(PartnerScopedQuerySet):
    partner_lookup = "order__partner"


class OrderDocument(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("commande"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(
        _("nature"), max_length=20, choices=DocumentKind.choices,
        default=DocumentKind.OTHER, db_default=DocumentKind.OTHER
    )
    # In the default storage (private): never served from a public URL, only through the download view.
    file = models.FileField(_("fichier"), upload_to=document_storage_key, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=150)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    # Detected from the content, never taken from the browser.
    content_type = models.CharField(_("type de contenu"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déposé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now, db_default=Now())

    objects = OrderDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document de commande")
        verbose_name_plural = _("documents de commande")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["order", "kind"], name="order_document_kind")]

    def __str__(self) -> str:
        return self.original_name
