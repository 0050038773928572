"""Messages exchanged on an order between the partner and sales administration."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mybusiness.tenancy import PartnerScopedQuerySet


class OrderCommentQuerySet(PartnerScopedQuerySet):
    partner_lookup = "order__partner"

    def visible_to(self, user):
        """A partner user sees their partner's public messages; a sales admin every message, notes included."""
        visible = super().visible_to(user)
        if user is not None and user.is_authenticated and user.is_partner:
            visible = visible.filter(is_internal=False)
        return visible


class OrderComment(models.Model):
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("commande"), on_delete=models.CASCADE, related_name="order_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"))
    # An internal note of sales administration: never shown to the partner, never emailed to them.
    is_internal = models.BooleanField(_("note interne"), default=False, db_default=False)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_default=Now())
    # The key of the form that posted it: a double click posts one message.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = OrderCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["order", "created_at"], name="order_comment_thread")]

    def __str__(self) -> str:
        return f"{self.order} · {self.created_at:%d/%m/%Y %H:%M}"
