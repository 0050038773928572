from django.utils.translation import gettext_lazy as _

from orders.wizard.base import WizardStep


class ReviewStep(WizardStep):
    """The « check your answers » page; submitting is a separate POST (``order_submit`` view)."""

    identifier = "recapitulatif"
    title = _("Récapitulatif")
    template_name = "orders/wizard/step_review.html"

    def get_context(self, request, order):
        from orders.wizard import engine

        sections = [
            state for state in engine.step_states(order) if state.applicable and state.step is not engine.STEPS[-1]
        ]
        return {
            "sections": [(state, state.step.summary(order), state.step.missing(order)) for state in sections],
            "missing": engine.missing_for_submission(order),
        }
