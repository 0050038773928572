"""Step 4: the end customer's main contact and the additional data."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mybusiness.fields import EmailField
from orders.models import BusinessSector, Civility
from orders.services import drafts
from orders.wizard.forms import StepForm
from sites.fields import PhoneField, TelInput

MAX_USER_COUNT = 10_000
MAX_HEADCOUNT = 1_000_000
# How far ahead a go-live date may be: further than this is almost surely a typo.
GO_LIVE_HORIZON_DAYS = 3 * 366


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def check_date_window(value: datetime.date | None, *, horizon_days: int, past_message, future_message) -> None:
    """Refuse a date before today or after today + ``horizon_days`` (dates in the portal's time zone)."""
    if value is None:
        return
    today = timezone.localdate()
    if value < today:
        raise forms.ValidationError(past_message, code="past")
    latest = today + datetime.timedelta(days=horizon_days)
    if value > latest:
        raise forms.ValidationError(future_message % {"date": date_format(latest, "SHORT_DATE_FORMAT")}, code="far")


class ContactForm(StepForm):
    contact_civility = forms.ChoiceField(
        label=_("Civilité"),
        choices=Civility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la civilité de l'interlocuteur."),
                        "invalid_choice": _("Choisissez « Madame » ou « Monsieur ».")},
    )
    contact_first_name = forms.CharField(
        label=_("Prénom"), max_length=100,
        error_messages={"required": _("Saisissez le prénom de l'interlocuteur."),
                        "max_length": _("Le prénom est limité à %(limit_value)d caractères.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_last_name = forms.CharField(
        label=_("Nom"), max_length=100,
        error_messages={"required": _("Saisissez le nom de l'interlocuteur."),
                        "max_length": _("Le nom est limité à %(limit_value)d caractères.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_function = forms.CharField(
        label=_("Fonction"), max_length=100, required=False,
        error_messages={"max_length": _("La fonction est limitée à %(limit_value)d caractères.")},
    )
    contact_email = EmailField(
        label=_("E-mail"),
        error_messages={"required": _("Saisissez l'adresse e-mail de l'interlocuteur."),
                        "max_length": _("L'adresse e-mail est limitée à %(limit_value)d caractères.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = PhoneField(
        label=_("Téléphone"),
        error_messages={"required": _("Saisissez le numéro de téléphone de l'interlocuteur."),
                        "max_length": _("Le numéro est limité à %(limit_value)d caractères.")},
        widget=TelInput(attrs={"autocomplete": "off"}),
    )
    user_count = forms.IntegerField(
        label=_("Nombre d'utilisateurs"), required=False, min_value=1, max_value=MAX_USER_COUNT,
        error_messages={"invalid": _("Saisissez un nombre entier."),
                        "min_value": _("Le nombre d'utilisateurs est d'au moins 1."),
                        "max_value": _("Le nombre d'utilisateurs est limité à %(limit_value)s.")},
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_USER_COUNT, "inputmode": "numeric"}),
    )
    go_live_date = forms.DateField(
        label=_("Date de démarrage souhaitée"), required=False, widget=date_input(),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )
    business_sector = forms.ChoiceField(
        label=_("Secteur d'activité"), required=False,
        choices=[("", _("— Choisir un secteur —")), *BusinessSector.choices],
        error_messages={"invalid_choice": _("Choisissez un secteur de la liste.")},
    )
    headcount = forms.IntegerField(
        label=_("Effectif"), required=False, min_value=1, max_value=MAX_HEADCOUNT,
        help_text=_("Nombre de salariés de l'entreprise cliente."),
        error_messages={"invalid": _("Saisissez un nombre entier."),
                        "min_value": _("L'effectif est d'au moins 1."),
                        "max_value": _("L'effectif est limité à %(limit_value)s.")},
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_HEADCOUNT, "inputmode": "numeric"}),
    )

    CONTACT_FIELDS = ("contact_civility", "contact_first_name", "contact_last_name", "contact_function",
                      "contact_email", "contact_phone")
    DATA_FIELDS = ("user_count", "go_live_date", "business_sector", "headcount")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = {name: getattr(self.order, name) for name in (*self.CONTACT_FIELDS, *self.DATA_FIELDS)}
        self.fields["go_live_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def contact_bound_fields(self):
        return [self[name] for name in self.CONTACT_FIELDS]

    def data_bound_fields(self):
        return [self[name] for name in self.DATA_FIELDS]

    def clean_go_live_date(self):
        value = self.cleaned_data["go_live_date"]
        check_date_window(
            value,
            horizon_days=GO_LIVE_HORIZON_DAYS,
            past_message=_("La date de démarrage ne peut pas être passée."),
            future_message=_("La date de démarrage doit être au plus tard le %(date)s."),
        )
        return value

    def save(self) -> list[str]:
        values = dict(self.cleaned_data)
        for name in ("contact_first_name", "contact_last_name", "contact_function"):
            values[name] = " ".join(values[name].split())
        drafts.order_update_fields(order=self.order, user=self.user, values=values)
        return []
