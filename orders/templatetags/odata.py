"""``{% odata_quota_help form order %}``: the OData quotas explained in the wizard's step 2.

A site's OData panel is not a tag: lower apps never load this library; it is a panel
(``orders.panels``) that the site's page renders through ``mybusiness.panels``.
"""

from django import template

from catalog.models import ReferenceKind
from orders.odata import odata_problems

register = template.Library()


@register.inclusion_tag("orders/includes/odata_quota_help.html", takes_context=True)
def odata_quota_help(context, form, order):
    """Shown when the references offered include OData connectors: quotas explained, current problems listed."""
    references = getattr(form, "references", [])
    shown = any(reference.kind == ReferenceKind.ODATA for reference in references)
    problems = odata_problems(order) if shown and not form.is_bound else []
    return {
        "shown": shown,
        "problems": problems,
        "partner_price_sheet_url": context.get("partner_price_sheet_url"),
    }
