from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from orders.wizard.base import WizardStep
from orders.wizard.forms_delivery import MAX_RECIPIENTS, DeliveryForm


class DeliveryStep(WizardStep):
    """Step 5: when and to whom the certificate is delivered."""

    identifier = "livraison"
    title = _("Livraison du certificat")
    template_name = "orders/wizard/step_livraison.html"
    form_class = DeliveryForm

    def missing(self, order):
        lacks = []
        if not order.delivery_date:
            lacks.append(_("la date de livraison souhaitée"))
        elif order.delivery_date < timezone.localdate():
            # Checked again at submission: a draft may wait until its date has passed.
            lacks.append(_("une date de livraison à partir d'aujourd'hui (celle choisie est passée)"))
        recipients = order.certificate_recipients or []
        if not recipients:
            lacks.append(_("au moins un destinataire du certificat"))
        elif len(recipients) > MAX_RECIPIENTS:
            lacks.append(_("5 destinataires du certificat au plus"))
        return [str(x) for x in lacks]

    def get_context(self, request, order):
        return {"max_recipients": MAX_RECIPIENTS}

    def summary(self, order):
        return [
            (_("Date de livraison souhaitée"), order.delivery_date and date_format(order.delivery_date)),
            (_("Destinataires du certificat"), "\n".join(order.certificate_recipients or [])),
        ]
