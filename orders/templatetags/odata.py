"""Template tags for OData connectors, usable by pages of lower apps without a Python import.

``{% load odata %}{% site_odata site %}`` on a site's page shows its active
connectors (derived from completed orders) and « Demander l'activation OData »;
``{% odata_quota_help form order %}`` explains the quotas in the wizard's step 2.
"""

from django import template

from catalog.models import ReferenceKind
from orders.odata import odata_problems
from orders.selectors import site_active_odata
from sites.models import Hosting

register = template.Library()


@register.inclusion_tag("orders/includes/site_odata.html", takes_context=True)
def site_odata(context, site):
    from catalog.models import ODataQuota, ODataTarget

    active = site_active_odata(site=site)
    targets = list(site.solution.odata_targets or []) if site.solution_id else []
    connectors = [
        {"target": ODataTarget(target).label, "quota": ODataQuota(quota).label, "extended": quota == "extended"}
        for target, quota in sorted(active.items())
    ]
    # Something left to ask for: a target of the solution not active, or active at the standard quota only.
    can_upgrade = any(active.get(target) != ODataQuota.EXTENDED for target in targets)
    user = context["request"].user
    return {
        "site": site,
        "connectors": connectors,
        "is_saas": site.hosting == Hosting.SAAS,
        "has_targets": bool(targets),
        "can_request": bool(user.is_authenticated and user.is_partner and site.hosting == Hosting.SAAS and can_upgrade),
        "everything_active": bool(targets) and not can_upgrade,
        "partner_price_sheet_url": context.get("partner_price_sheet_url"),
        "csrf_token": context.get("csrf_token"),
    }


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
