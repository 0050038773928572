from django.utils.translation import gettext_lazy as _

from orders.wizard.base import WizardStep
from orders.wizard.forms import TypeOriginForm


class TypeOriginStep(WizardStep):
    identifier = "type"
    title = _("Type et origine")
    template_name = "orders/wizard/step_type_origin.html"
    form_class = TypeOriginForm

    def missing(self, order):
        lacks = []
        if not order.order_type_id:
            lacks.append(_("le type de commande"))
        if not order.origin_id:
            lacks.append(_("l'origine"))
        return [str(x) for x in lacks]

    def summary(self, order):
        return [(_("Type de commande"), order.order_type), (_("Origine"), order.origin)]
