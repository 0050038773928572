"""Writes on partners and users."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mybusiness import selectors
from mybusiness.emails import email_record
from mybusiness.models import ApiIdempotentRequest, ApiKey, ApiScope, User
from mybusiness.roles import Role


def partner_user_invite(*, admin: User, email: str, first_name: str, last_name: str, role: str) -> User | None:
    """Create an account in the admin's own company and email it a link to choose a password.

    An address that already has an account elsewhere (another company, the vendor's staff) is answered as
    a new one would be, so the form tells nobody who has an account: nothing is created, and the address's
    owner is told by email that someone tried to invite them. Returns the new user, or None then.
    """
    if not admin.is_partner_admin:
        raise ValidationError(_("Seul un administrateur partenaire peut inviter des utilisateurs."))
    if role not in (Role.PARTNER_USER, Role.PARTNER_ADMIN):
        raise ValidationError(_("Rôle inconnu."))
    email = User.objects.normalize_email(email).lower()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=None,  # unusable until the invitee chooses one
                first_name=first_name,
                last_name=last_name,
                partner=admin.partner,
                role=role,
                language=admin.language,
            )
    except IntegrityError:
        # The address has an account (or two invitations of it crossed): only a colleague's is named.
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None or existing.partner_id == admin.partner_id:
            raise ValidationError(
                {"email": _("Cette personne a déjà un compte dans votre société : retrouvez-la dans la liste.")}
            ) from None
        transaction.on_commit(lambda: _send_invitation_notice(user=existing, admin=admin))
        return None
    transaction.on_commit(lambda: _send_invitation(user=user, admin=admin))
    return user


def _send_invitation_notice(*, user: User, admin: User) -> None:
    email_record(
        template="mybusiness/emails/invitation_existing",
        to=[user.email],
        language=user.language,
        context={
            "user": user, "admin": admin, "partner": admin.partner,
            "login_link": settings.SITE_URL + reverse("login"),
            "reset_link": settings.SITE_URL + reverse("password_reset"),
        },
    )


def _send_invitation(*, user: User, admin: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    # Through the outbox, as every email: an unreachable mail server delays it instead of failing the invite.
    email_record(
        template="mybusiness/emails/invitation",
        to=[user.email],
        language=user.language,
        context={"user": user, "admin": admin, "partner": admin.partner, "link": link},
    )


def partner_user_set_active(*, admin: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) a user of the admin's own company; never oneself."""
    if not admin.is_partner_admin or user.partner_id != admin.partner_id:
        raise ValidationError(_("Cet utilisateur n'appartient pas à votre société."))
    if user.pk == admin.pk:
        raise ValidationError(_("Vous ne pouvez pas désactiver votre propre compte."))
    return user_set_active(user=user, active=active)


def user_set_active(*, user: User, active: bool) -> User:
    """Deactivate or reactivate an account. Its open sessions end either way: a reactivated user logs in
    again. Nothing of theirs is deleted."""
    if user.is_active != active:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(is_active=active)
            sessions_end(users=User.objects.filter(pk=user.pk))
        user.refresh_from_db(fields=["is_active", "session_generation"])
    return user


def sessions_end(*, users: QuerySet[User]) -> int:
    """End every open session of ``users``: their signatures no longer match (``User.get_session_auth_hash``)."""
    return users.update(session_generation=F("session_generation") + 1)


# Two-factor authentication (django-otp): one authenticator application (TOTP) and single-use recovery codes
# per user. ``User.two_factor_enabled`` mirrors whether the application is confirmed.

RECOVERY_DEVICE_NAME = "recovery"


def _code_typed(code: str) -> str:
    """A code as typed: « 123 456 » is 123456 and « abcd-efgh » a recovery code, whatever the case."""
    return "".join(code.split()).replace("-", "").lower()


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The application the user is about to add (unconfirmed until a code proves it works): the same one
    each time the page is shown, so a reloaded page keeps the QR code already scanned."""
    device = selectors.totp_enrolment_device(user=user)
    return device or TOTPDevice.objects.create(user=user, name="myBusiness", confirmed=False)


def totp_enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the application being added with a code it shows, replacing any earlier one, and issue new
    recovery codes. The user's other sessions end: they did not pass this second factor."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise ValidationError(
                _("Cette configuration n'est plus en cours : rechargez la page pour recommencer."), code="stale"
            )
        if not device.verify_token(_code_typed(code)):
            raise ValidationError(
                _("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et saisissez le code affiché."),
                code="invalid",
            )
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        User.objects.filter(pk=user.pk).update(two_factor_enabled=True)
        sessions_end(users=User.objects.filter(pk=user.pk))
        codes = _recovery_codes_issue(user=user)
    user.refresh_from_db(fields=["two_factor_enabled", "session_generation"])
    return device, codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not user.two_factor_enabled:
        raise ValidationError(_("La double authentification n'est pas activée sur ce compte."))
    with transaction.atomic():
        return _recovery_codes_issue(user=user)


def _recovery_codes_issue(*, user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code``: six digits for the application, letters for a recovery code (each
    used once). Repeated wrong codes make the device wait longer each time (django-otp's throttling)."""
    code = _code_typed(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            wait = max(1, round((locked_until - timezone.now()).total_seconds())) if locked_until else 1
            raise ValidationError(
                ngettext(
                    "Trop de codes incorrects : réessayez dans %(seconds)s seconde.",
                    "Trop de codes incorrects : réessayez dans %(seconds)s secondes.",
                    wait,
                ) % {"seconds": wait},
                code="throttled",
            )
        verified = otp_verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    raise ValidationError(_("Code incorrect ou déjà utilisé."), code="invalid")


def two_factor_disable(*, user: User) -> None:
    """Remove the user's application and recovery codes. For the vendor's staff it is required again at their
    next page (a new application), which is how a lost phone is replaced."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(two_factor_enabled=False)
    user.two_factor_enabled = False


# An API key: this prefix, then 43 URL-safe characters (256 random bits). The prefix tells a leaked key
# for what it is (secret scanners look for such prefixes).
API_KEY_PREFIX = "mbk_"
# How old ``last_used_at`` may grow before a request writes it again: not a write per request.
API_KEY_LAST_USE_PRECISION_SECONDS = 60


def api_key_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_key_create(*, admin: User, name: str, scope: str, creation_key: uuid.UUID | None = None) -> tuple[ApiKey, str]:
    """A new key of the admin's company, and the key itself (shown once, never kept). The same
    ``creation_key`` gives back the same key row, without its secret (``""``)."""
    if not admin.is_partner_admin:
        raise ValidationError(_("Seul un administrateur partenaire gère les clés d'API."))
    if scope not in ApiScope.values:
        raise ValidationError({"scope": _("Choisissez les droits de la clé.")})
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Donnez un nom à la clé, par exemple celui du logiciel qui l'utilise.")})
    if creation_key is not None:
        existing = ApiKey.objects.filter(creation_key=creation_key, partner_id=admin.partner_id).first()
        if existing is not None:
            return existing, ""
    token = API_KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                partner_id=admin.partner_id, user=admin, name=name[:100], scope=scope,
                prefix=token[:12], hashed_key=api_key_hash(token), creation_key=creation_key,
            )
    except IntegrityError:
        # The same form sent twice at once: the other request created it.
        return ApiKey.objects.get(creation_key=creation_key, partner_id=admin.partner_id), ""
    return key, token


def api_key_revoke(*, admin: User, key: ApiKey) -> ApiKey:
    if not admin.is_partner_admin or key.partner_id != admin.partner_id:
        raise ValidationError(_("Seul un administrateur de la société révoque ses clés d'API."))
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    return key


def api_idempotency_purge() -> int:
    """Delete the answers kept for an Idempotency-Key longer than ``API_IDEMPOTENCY_HOURS``."""
    since = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    return ApiIdempotentRequest.objects.filter(created_at__lt=since).delete()[0]


def api_key_authenticate(token: str) -> ApiKey | None:
    """The live key ``token`` is, with its user and company (one query); None for an unknown, revoked key,
    or one whose creator or company is no longer active."""
    if not token.startswith(API_KEY_PREFIX) or len(token) > 100:
        return None
    key = (
        ApiKey.objects.select_related("user", "partner")
        .filter(hashed_key=api_key_hash(token), revoked_at__isnull=True)
        .first()
    )
    if key is None or not key.partner.is_active or not key.user.is_partner or key.user.partner_id != key.partner_id:
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > API_KEY_LAST_USE_PRECISION_SECONDS:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
