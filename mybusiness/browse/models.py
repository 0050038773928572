from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

# Every browse request reads the user's column choice. With a cache shared by every process
# (``CACHE_URL``) it is read from there; a per-process cache would show a choice changed in
# another process late, so without one it is read from the database each time.
CACHE_SECONDS = 24 * 3600
NO_CHOICE = "-"


class BrowsePreferenceManager(models.Manager):
    def _key(self, user, list_key: str) -> str:
        return f"browse-columns:{user.pk}:{list_key}"

    def chosen_columns(self, user, list_key: str) -> list[str] | None:
        """The columns ``user`` chose for the list, or None if they chose none."""
        key = self._key(user, list_key)
        cached = cache.get(key) if settings.CACHE_IS_SHARED else None
        if cached is not None:
            return None if cached == NO_CHOICE else cached
        columns = self.filter(user=user, list_key=list_key).values_list("columns", flat=True).first()
        if settings.CACHE_IS_SHARED:
            cache.set(key, NO_CHOICE if columns is None else columns, CACHE_SECONDS)
        return columns

    def choose(self, user, list_key: str, columns: list[str]) -> None:
        self.update_or_create(user=user, list_key=list_key, defaults={"columns": columns})
        cache.delete(self._key(user, list_key))

    def forget(self, user, list_key: str) -> None:
        self.filter(user=user, list_key=list_key).delete()
        cache.delete(self._key(user, list_key))


class BrowsePreference(models.Model):
    """The columns a user chose for one browse list (``list_key``), remembered across sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), on_delete=models.CASCADE,
        related_name="browse_preferences",
    )
    list_key = models.CharField(_("liste"), max_length=50)
    columns = models.JSONField(_("colonnes affichées"), default=list)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = BrowsePreferenceManager()

    class Meta:
        app_label = "mybusiness"
        verbose_name = _("préférence d'affichage de liste")
        verbose_name_plural = _("préférences d'affichage de liste")
        constraints = [models.UniqueConstraint(fields=["user", "list_key"], name="browse_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.list_key}"
