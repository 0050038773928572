"""Reads of partners and users, each scoped to who asks."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mybusiness.models import ApiKey, User


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


def two_factor_status(*, user: User) -> dict:
    """What the account security page shows: the confirmed application's dates and the recovery codes left."""
    application = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    recovery = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return {
        "enabled": user.two_factor_enabled and application is not None,
        "since": application.created_at if application else None,
        "last_used": application.last_used_at if application else None,
        "recovery_codes_left": recovery.token_set.count() if recovery else 0,
    }


def totp_enrolment_device(*, user: User) -> TOTPDevice | None:
    """The authenticator application the user is adding (not confirmed yet), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def api_key_list(*, admin: User) -> QuerySet[ApiKey]:
    """The API keys of the partner admin's own company, live ones first, newest first."""
    if not admin.is_partner_admin:
        return ApiKey.objects.none()
    return ApiKey.objects.filter(partner_id=admin.partner_id).select_related("user").order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at")


def api_key_get(*, admin: User, public_id) -> ApiKey:
    """One key of the admin's own company, or 404."""
    try:
        return api_key_list(admin=admin).get(public_id=public_id)
    except (ApiKey.DoesNotExist, ValueError):
        raise Http404 from None
