"""Reads of partners and users, each scoped to who asks."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from mybusiness.models import User


def partner_user_list(*, admin: User) -> QuerySet[User]:
    """The users of the partner admin's own company, newest first."""
    if not admin.is_partner_admin:
        return User.objects.none()
    return User.objects.filter(partner_id=admin.partner_id).order_by("-is_active", "last_name", "email")


def partner_user_get(*, admin: User, public_id) -> User:
    """One user of the admin's own company, or 404 (another company's user does not exist here)."""
    try:
        return partner_user_list(admin=admin).get(public_id=public_id)
    except (User.DoesNotExist, ValueError):
        raise Http404 from None
