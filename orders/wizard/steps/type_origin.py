from django.contrib import messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import OpportunityRule
from opportunities.models import OpportunityStage
from orders.services.opportunity import opportunity_warnings
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
        elif order.origin.opportunity_rule == OpportunityRule.REQUIRED and not order.opportunity_id:
            lacks.append(_("l'opportunité"))
        if order.opportunity_id and order.opportunity.stage == OpportunityStage.LOST:
            lacks.append(_("une opportunité qui ne soit pas perdue (celle liée l'est devenue)"))
        return [str(x) for x in lacks]

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
                pairs.append(
                    (
                        _("Attention"),
                        format_html(
                            '<span class="text-warning-emphasis opportunity-warning">'
                            '<i class="fa-solid fa-triangle-exclamation me-1" aria-hidden="true"></i>{}</span>',
                            warning,
                        ),
                    )
                )
        return pairs
