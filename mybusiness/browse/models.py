from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BrowsePreference(models.Model):
    """The columns a user chose for one browse list (``list_key``), remembered across sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), on_delete=models.CASCADE,
        related_name="browse_preferences",
    )
    list_key = models.CharField(_("liste"), max_length=50)
    columns = models.JSONField(_("colonnes affichées"), default=list)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        app_label = "mybusiness"
        verbose_name = _("préférence d'affichage de liste")
        verbose_name_plural = _("préférences d'affichage de liste")
        constraints = [models.UniqueConstraint(fields=["user", "list_key"], name="browse_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.list_key}"
