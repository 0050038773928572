from django.utils.translation import gettext_lazy as _

from orders.wizard.base import WizardStep


class SiteStep(WizardStep):
    """Placeholder: its content comes with issue [3/8]; until then it asks nothing."""

    identifier = "site"
    title = _("Site")
    template_name = "orders/wizard/step_placeholder.html"
