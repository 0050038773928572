from django.contrib import messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import OpportunityRule
from orders.completeness import SECTION_BY_IDENTIFIER
from orders.services.opportunity import opportunity_warnings
from orders.wizard.base import ReviewWarning, WizardStep
from orders.wizard.forms import TypeOriginForm


class TypeOriginStep(WizardStep):
    identifier = "type"
    section = SECTION_BY_IDENTIFIER["type"]
    title = section.title
    template_name = "orders/wizard/step_type_origin.html"
    form_class = TypeOriginForm

    def save(self, request, order, form):
        cleared = form.save()
        link = form.link
        if link is not None and (link.prefilled_site or link.prefilled_contact):
            parts = []
            if link.prefilled_site:
                parts.append(
                    gettext("pour le nouveau site : %(fields)s") % {"fields": ", ".join(link.prefilled_site)}
                )
            if link.prefilled_contact:
                parts.append(
                    gettext("pour l'interlocuteur principal : %(fields)s")
                    % {"fields": ", ".join(link.prefilled_contact)}
                )
            messages.info(
                request,
                gettext(
                    "Repris de l'opportunité %(opportunity)s, %(parts)s. "
                    "Vérifiez ces informations et complétez ce qui manque dans les étapes suivantes."
                )
                % {"opportunity": link.opportunity.number, "parts": " ; ".join(parts)},
            )
        return cleared

    def summary(self, order):
        pairs = [(_("Type de commande"), order.order_type), (_("Origine"), order.origin)]
        if order.opportunity_id or (order.origin_id and order.origin.opportunity_rule != OpportunityRule.NONE):
            pairs.append((_("Opportunité"), order.opportunity))
        if order.opportunity_id:
            for warning in opportunity_warnings(opportunity=order.opportunity, order=order):
                pairs.append((_("Attention"), ReviewWarning(warning)))
        return pairs
