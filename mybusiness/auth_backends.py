"""Django's model backend, loading the user's partner with the user, and refusing a deactivated company's users."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    """Every portal page shows the user's company (the menu, the tenant scoping reads ``partner_id``):
    the partner comes in the same query as the user instead of one more per request."""

    def get_user(self, user_id):
        user_model = get_user_model()
        user = user_model._default_manager.select_related("partner").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        # A deactivated company's users are out too, from their next request (their data stays).
        partner = user.partner if user.partner_id is not None else None
        return super().user_can_authenticate(user) and (partner is None or partner.is_active)
