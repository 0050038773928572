from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mybusiness import services
from mybusiness.emails import email_record
from mybusiness.fields import EmailField
from mybusiness.models import ApiScope
from mybusiness.roles import Role
from mybusiness.security import (
    LOGIN_FAILURES_PER_ADDRESS,
    RESET_REQUESTS_PER_ADDRESS,
    RESET_REQUESTS_PER_EMAIL,
    client_ip,
    normalize_login,
)


class EmailAuthenticationForm(AuthenticationForm):
    username = EmailField(
        label=_("Adresse e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect. Les deux champs tiennent compte de la casse."),
        "inactive": _("Ce compte est désactivé."),
        "address_throttled": _(
            "Trop de tentatives de connexion depuis votre réseau. Réessayez dans quelques minutes ou "
            "choisissez « Mot de passe oublié »."
        ),
    }

    def clean(self):
        # One client address trying many accounts is capped across them (each account's own lock is axes').
        address = client_ip(self.request)
        if LOGIN_FAILURES_PER_ADDRESS.exceeded(address):
            raise ValidationError(self.error_messages["address_throttled"], code="address_throttled")
        try:
            return super().clean()
        except ValidationError:
            LOGIN_FAILURES_PER_ADDRESS.hit(address)
            raise


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, throttled per address typed and per client address: past either limit nothing is
    sent and the page answers as always, so the answer says nothing about the account or the throttle."""

    email = EmailField(label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    email_template = "registration/password_reset_email"

    def save(self, *, request=None, **kwargs):
        # Both counts move on every request, so neither can be used to probe the other.
        over_email = RESET_REQUESTS_PER_EMAIL.hit(normalize_login(self.cleaned_data["email"]))
        over_address = RESET_REQUESTS_PER_ADDRESS.hit(client_ip(request))
        if over_email > RESET_REQUESTS_PER_EMAIL.limit or over_address > RESET_REQUESTS_PER_ADDRESS.limit:
            return
        super().save(request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        # Through the portal's emails: in the user's language, text unescaped, kept in the outbox until sent.
        email_record(template=self.email_template, to=[to_email], language=context["user"].language, context=context)


class PartnerUserInviteForm(forms.Form):
    email = EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=[(Role.PARTNER_USER, Role.PARTNER_USER.label), (Role.PARTNER_ADMIN, Role.PARTNER_ADMIN.label)],
        initial=Role.PARTNER_USER,
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de la clé"), max_length=100,
        help_text=_("Le logiciel ou le service qui l'utilisera, par exemple « ERP interne »."),
        error_messages={"required": _("Donnez un nom à la clé, par exemple celui du logiciel qui l'utilise.")},
    )
    scope = forms.ChoiceField(
        label=_("Droits"), choices=ApiScope.choices, initial=ApiScope.READ, widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez les droits de la clé.")},
    )
    # Carried by the page: a double click on « Créer » makes one key.
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)


class SecondFactorForm(forms.Form):
    """The login's second step: the application's code or a recovery code, checked by the services."""

    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=32,
        help_text=_("Les six chiffres affichés par votre application d'authentification, ou un code de secours."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        self.device = services.second_factor_verify(user=self.user, code=self.cleaned_data["code"])
        return self.cleaned_data["code"]


class TwoFactorEnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code affiché par l'application"),
        max_length=16,
        help_text=_("Six chiffres ; un nouveau code s'affiche toutes les 30 secondes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
