from django.utils.translation import gettext_lazy as _

from orders.completeness import SECTION_BY_IDENTIFIER
from orders.wizard.base import WizardStep
from orders.wizard.forms import ProductForm


class ProductStep(WizardStep):
    identifier = "produit"
    section = SECTION_BY_IDENTIFIER["produit"]
    title = section.title
    template_name = "orders/wizard/step_product.html"
    form_class = ProductForm

    def summary(self, order):
        return [(_("Génération"), order.generation), (_("Solution"), order.solution)]

    @property
    def review_template(self):
        return "orders/wizard/review_product.html"
