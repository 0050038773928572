from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateResendForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du renvoi"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il est écrit dans l'historique de la commande."),
        error_messages={"required": _("Indiquez le motif du renvoi.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Indiquez le motif du renvoi."))
        return reason
