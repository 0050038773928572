from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from orders.completeness import MAX_RECIPIENTS, SECTION_BY_IDENTIFIER
from orders.wizard.base import WizardStep
from orders.wizard.forms_delivery import DeliveryForm


class DeliveryStep(WizardStep):
    """Step 5: when and to whom the certificate is delivered."""

    identifier = "livraison"
    section = SECTION_BY_IDENTIFIER["livraison"]
    title = section.title
    template_name = "orders/wizard/step_livraison.html"
    form_class = DeliveryForm

    def get_context(self, request, order):
        return {"max_recipients": MAX_RECIPIENTS}

    def summary(self, order):
        return [
            (_("Date de livraison souhaitée"), order.delivery_date and date_format(order.delivery_date)),
            (_("Destinataires du certificat"), "\n".join(order.certificate_recipients or [])),
        ]
