"""Writes on partners and users."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from mybusiness.emails import send_templated_email
from mybusiness.models import User
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
    send_templated_email(
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
    send_templated_email(
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
