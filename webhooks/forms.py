from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from webhooks.models import WebhookEvent


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Adresse (HTTPS)"), max_length=500, assume_scheme="https",
        help_text=_("L'adresse de votre système qui recevra les messages, par exemple https://erp.example.fr/hooks."),
        error_messages={"required": _("Indiquez l'adresse qui recevra les messages."),
                        "invalid": _("Saisissez une adresse web complète, par exemple https://erp.example.fr/hooks.")},
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Événements"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un événement.")},
    )
    creation_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean_url(self):
        url = self.cleaned_data["url"]
        parts = urlsplit(url)
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (local and settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST):
            raise forms.ValidationError(_("L'adresse doit commencer par https:// : les messages sont chiffrés."))
        return url
