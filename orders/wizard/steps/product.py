from django.utils.translation import gettext_lazy as _

from orders.odata import odata_problems, saved_lines
from orders.wizard.base import WizardStep
from orders.wizard.forms import ProductForm


class ProductStep(WizardStep):
    identifier = "produit"
    title = _("Produit et références")
    template_name = "orders/wizard/step_product.html"
    form_class = ProductForm

    def missing(self, order):
        lacks = []
        if not order.generation_id:
            lacks.append(_("la génération"))
        if not order.solution_id:
            lacks.append(_("la solution"))
        lines = saved_lines(order)
        if not lines:
            lacks.append(_("au moins une référence avec sa quantité"))
        # OData activation orders: every rule of design §7, explained (orders/odata.py).
        lacks.extend(odata_problems(order, lines))
        return [str(x) for x in lacks]

    def summary(self, order):
        return [(_("Génération"), order.generation), (_("Solution"), order.solution)]

    @property
    def review_template(self):
        return "orders/wizard/review_product.html"
