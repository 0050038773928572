"""Step 5: the certificate's requested delivery date and its 1 to 5 recipients."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mybusiness.fields import normalize_email
from orders.completeness import MAX_RECIPIENTS
from orders.services import drafts
from orders.wizard.forms import StepForm
from orders.wizard.forms_contact import check_date_window, date_input

DELIVERY_HORIZON_DAYS = 366


class RecipientsWidget(forms.Widget):
    """Several ``<input type=email name=recipients>`` rows: the template draws them, the data is a list."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        return value if isinstance(value, list) else ([value] if value else [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class RecipientsField(forms.Field):
    """1 to ``MAX_RECIPIENTS`` email addresses, each checked and lowercased as every email field
    (``mybusiness.fields``), no two the same (case aside)."""

    widget = RecipientsWidget

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = [value]
        return [str(item).strip() for item in value if str(item).strip()]

    def validate(self, value):
        if not value:
            raise forms.ValidationError(
                _("Indiquez au moins une adresse e-mail à laquelle envoyer le certificat."), code="required"
            )
        errors = []
        for position, address in enumerate(value, start=1):
            if len(address) > 254:
                errors.append(forms.ValidationError(
                    _("Destinataire %(position)d : l'adresse est limitée à 254 caractères."),
                    code="invalid", params={"position": position},
                ))
                continue
            try:
                normalize_email(address)
            except forms.ValidationError as error:
                # The shared email message, after the row it is about.
                errors.append(forms.ValidationError(
                    _("Destinataire %(position)d : %(error)s"),
                    code="invalid", params={"position": position, "error": " ".join(error.messages)},
                ))
        seen: dict[str, int] = {}
        for position, address in enumerate(value, start=1):
            key = address.lower()
            if key in seen:
                errors.append(forms.ValidationError(
                    _("Destinataire %(position)d : « %(address)s » figure déjà au rang %(first)d."),
                    code="duplicate", params={"position": position, "address": address[:80], "first": seen[key]},
                ))
            else:
                seen[key] = position
        if len(value) > MAX_RECIPIENTS:
            errors.append(forms.ValidationError(
                ngettext(
                    "Le certificat est envoyé à %(max)d destinataires au plus : retirez %(extra)d adresse.",
                    "Le certificat est envoyé à %(max)d destinataires au plus : retirez %(extra)d adresses.",
                    len(value) - MAX_RECIPIENTS,
                ),
                code="too_many", params={"max": MAX_RECIPIENTS, "extra": len(value) - MAX_RECIPIENTS},
            ))
        if errors:
            raise forms.ValidationError(errors)

    def clean(self, value):
        value = super().clean(value)
        return [normalize_email(address) for address in value]


class DeliveryForm(StepForm):
    delivery_date = forms.DateField(
        label=_("Date de livraison souhaitée"),
        widget=date_input(),
        error_messages={"required": _("Indiquez la date de livraison souhaitée."),
                        "invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )
    recipients = RecipientsField(
        label=_("Destinataires du certificat"),
        help_text=_("De 1 à 5 adresses e-mail, chacune une seule fois."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = {"delivery_date": self.order.delivery_date,
                            "recipients": list(self.order.certificate_recipients or [])}
        self.fields["delivery_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def recipient_rows(self) -> list[tuple[str, bool]]:
        """(address, refused) per row to draw: those typed (or saved), empty ones dropped, at least one."""
        if self.is_bound:
            rows = [str(v) for v in self.fields["recipients"].widget.value_from_datadict(self.data, None, "recipients")]
            rows = [row for row in rows if row.strip()]
        else:
            rows = list(self.initial.get("recipients") or [])
        if not rows:
            return [("", self.is_bound and "recipients" in self.errors)]
        refused: set[int] = set()
        if self.is_bound and "recipients" in self.errors:
            for error in self.errors.as_data()["recipients"]:
                params = error.params or {}
                if "position" in params:
                    refused.add(params["position"])
                elif error.code == "too_many":
                    refused.update(range(MAX_RECIPIENTS + 1, len(rows) + 1))
        return [(address, position in refused) for position, address in enumerate(rows, start=1)]

    def clean_delivery_date(self):
        value = self.cleaned_data["delivery_date"]
        check_date_window(
            value,
            horizon_days=DELIVERY_HORIZON_DAYS,
            past_message=_("La date de livraison ne peut pas être passée : choisissez aujourd'hui ou plus tard."),
            future_message=_("La date de livraison doit être au plus tard le %(date)s."),
        )
        return value

    def save(self) -> list[str]:
        drafts.order_update_fields(
            order=self.order,
            user=self.user,
            values={
                "delivery_date": self.cleaned_data["delivery_date"],
                "certificate_recipients": self.cleaned_data["recipients"],
            },
        )
        return []
