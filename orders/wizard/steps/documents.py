from django.utils.translation import gettext_lazy as _

from orders.wizard.base import WizardStep


class DocumentsStep(WizardStep):
    """Placeholder: its content comes with issue [5/8]; until then it asks nothing."""

    identifier = "documents"
    title = _("Documents et informations")
    template_name = "orders/wizard/step_placeholder.html"
