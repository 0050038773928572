"""The orders app's panels on lower apps' pages (``mybusiness.panels``), registered in ``OrdersConfig.ready``."""

from __future__ import annotations

from catalog.models import ODataQuota, ODataTarget
from orders.selectors import site_active_odata
from sites.models import Hosting


def site_odata_context(request, site) -> dict:
    """A site's OData connectors (derived from completed orders) and « Demander l'activation OData »."""
    active = site_active_odata(site=site)
    targets = list(site.solution.odata_targets or []) if site.solution_id else []
    connectors = [
        {"target": ODataTarget(target).label, "quota": ODataQuota(quota).label, "extended": quota == "extended"}
        for target, quota in sorted(active.items())
    ]
    # Something left to ask for: a target of the solution not active, or active at the standard quota only.
    can_upgrade = any(active.get(target) != ODataQuota.EXTENDED for target in targets)
    user = request.user
    return {
        "site": site,
        "connectors": connectors,
        "is_saas": site.hosting == Hosting.SAAS,
        "has_targets": bool(targets),
        "can_request": bool(user.is_authenticated and user.is_partner and site.hosting == Hosting.SAAS and can_upgrade),
        "everything_active": bool(targets) and not can_upgrade,
    }
