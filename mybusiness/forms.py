from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from mybusiness.fields import EmailField
from mybusiness.roles import Role


class EmailAuthenticationForm(AuthenticationForm):
    username = EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Les deux champs tiennent compte de la casse."),
        "inactive": _("Ce compte est désactivé."),
    }


class EmailPasswordResetForm(PasswordResetForm):
    email = EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class PartnerUserInviteForm(forms.Form):
    email = EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=[(Role.PARTNER_USER, Role.PARTNER_USER.label), (Role.PARTNER_ADMIN, Role.PARTNER_ADMIN.label)],
        initial=Role.PARTNER_USER,
    )
