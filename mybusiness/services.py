"""Writes on partners and users."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from mybusiness.emails import send_templated_email
from mybusiness.models import User
from mybusiness.roles import Role


def partner_user_invite(*, admin: User, email: str, first_name: str, last_name: str, role: str) -> User:
    """Create an account in the admin's own company and email it a link to choose a password."""
    if not admin.is_partner_admin:
        raise ValidationError(_("Seul un administrateur partenaire peut inviter des utilisateurs."))
    if role not in (Role.PARTNER_USER, Role.PARTNER_ADMIN):
        raise ValidationError(_("Rôle inconnu."))
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse e-mail.")})
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
        # Two invitations of the same address at once: the second finds the first.
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse e-mail.")}) from None
    transaction.on_commit(lambda: _send_invitation(user=user, admin=admin))
    return user


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
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user
