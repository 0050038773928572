from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from orders.completeness import SECTION_BY_IDENTIFIER
from orders.validators import format_phone
from orders.wizard.base import WizardStep
from orders.wizard.forms_contact import ContactForm


class ContactStep(WizardStep):
    """Step 4: the end customer's main contact (required) and the additional data (optional)."""

    identifier = "contact"
    section = SECTION_BY_IDENTIFIER["contact"]
    title = section.title
    template_name = "orders/wizard/step_contact.html"
    form_class = ContactForm

    def summary(self, order):
        name = " ".join(
            part for part in (order.get_contact_civility_display(), order.contact_first_name, order.contact_last_name)
            if part
        )
        return [
            (_("Interlocuteur principal"), name),
            (_("Fonction"), order.contact_function),
            (_("E-mail"), order.contact_email),
            (_("Téléphone"), format_phone(order.contact_phone)),
            (_("Nombre d'utilisateurs"), order.user_count),
            (_("Date de démarrage souhaitée"), order.go_live_date and date_format(order.go_live_date)),
            (_("Secteur d'activité"), order.get_business_sector_display()),
            (_("Effectif"), order.headcount),
        ]
