"""Whether an existing site fits an order: the one place that says so (journeys.md, rule 3).

``site_fit_reasons(order, site)`` lists, in French sentences naming both answers, every reason the
order cannot use the site; ``site_fit_q(order)`` is the same rules as a filter on ``Site``, for the
site picker inside an order (only columns of the site's row: the partner, status, hosting,
generation and solution; for OData lines, the ids of the partner's sites where the connector is active).

The rules:

* the partner's own site, and an active one;
* licences and modules belong to a generation and a solution: the site must run the order's (when
  its own are recorded), unless the order moves the site to another one (a migration, design.md §4);
* OData connectors: the rules of ``orders.odata`` that depend on the site (hosting in the vendor
  cloud, a solution that takes the connector, not already active at that quota).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from catalog import references
from catalog.models import ProductReference, ReferenceKind, Solution
from orders import odata
from orders.models import Order
from orders.selectors import partner_sites_active_odata
from sites.models import Hosting, Site, SiteStatus

# Order types whose purpose is to move the site to another generation or solution: the site's own
# generation and solution do not have to be the order's.
SITE_CHANGING_ORDER_TYPES = frozenset({"MIGRATION"})
# The kinds of reference that only make sense on a site running their solution.
SOLUTION_BOUND_KINDS = frozenset({ReferenceKind.LICENCE, ReferenceKind.MODULE})

Lines = list[tuple[ProductReference, int]]


def _lines(order: Order, lines: Lines | None) -> Lines:
    return odata.saved_lines(order) if lines is None else lines


def keeps_site_solution(order: Order, lines: Lines) -> bool:
    """Whether the site must run the order's generation and solution: the order has them, adds
    licences or modules, and does not move the site to another product."""
    if not order.generation_id or order.order_type_id is None:
        return False
    if order.order_type.code in SITE_CHANGING_ORDER_TYPES:
        return False
    return any(reference.kind in SOLUTION_BOUND_KINDS and quantity for reference, quantity in lines)


def _product(generation, solution) -> str:
    """« One / Divalto One ERP », or the generation alone, or « — »."""
    parts = [str(entry.display_label) for entry in (generation, solution) if entry is not None]
    return " / ".join(parts) or "—"


def site_fit_reasons(
    order: Order, site: Site, lines: Lines | None = None, *, active_odata: dict[str, str] | None = None
) -> list[str]:
    """Every reason ``order`` cannot use ``site`` (empty: it fits). ``lines``: the order's
    ``odata.saved_lines`` when the caller has them; ``active_odata``: the site's active connectors
    (``orders.selectors.site_active_odata``), read when needed and not given."""
    if site.partner_id != order.partner_id:
        return [_("Le site %(number)s n'appartient pas à votre société.") % {"number": site.number}]
    reasons: list[str] = []
    if site.status != SiteStatus.ACTIVE:
        reasons.append(_("Le site %(number)s est fermé.") % {"number": site.number})
    return reasons + site_product_reasons(order, site, lines, active_odata=active_odata)


def site_product_reasons(
    order: Order, site: Site, lines: Lines | None = None, *, active_odata: dict[str, str] | None = None
) -> list[str]:
    """The reasons of ``site_fit_reasons`` that come from the order's product (step 2): the answers of two
    steps that disagree, shown with a link to the product step."""
    lines = _lines(order, lines)
    mismatch = site_product_mismatch(order, site, lines)
    return ([mismatch] if mismatch else []) + odata.odata_site_problems(
        order=order, site=site, solution=order.solution, lines=lines, active=active_odata
    )


def site_product_mismatch(order: Order, site: Site, lines: Lines) -> str | None:
    """Licences or modules for a generation and solution the site does not run (None: no mismatch)."""
    references.attach(site, "generation", "solution")
    references.attach(order, "order_type", "generation", "solution")
    # A site whose product is not recorded (an old import) is not refused for it.
    if keeps_site_solution(order, lines) and (
        (site.generation_id and site.generation_id != order.generation_id)
        or (order.solution_id and site.solution_id and site.solution_id != order.solution_id)
    ):
        return _("Le site %(number)s utilise %(site_product)s ; la commande porte sur %(order_product)s "
                 "(étape Produit).") % {
            "number": site.number,
            "site_product": _product(site.generation, site.solution),
            "order_product": _product(order.generation, order.solution),
        }
    return None


def site_fit_q(
    order: Order, lines: Lines | None = None, *, partner_active_odata: dict[int, dict[str, str]] | None = None
) -> Q:
    """The sites ``order`` can use, as a filter on ``Site``: the rules of ``site_fit_reasons``.
    ``partner_active_odata``: ``orders.selectors.partner_sites_active_odata``, read when needed and not given."""
    lines = _lines(order, lines)
    references.attach(order, "order_type", "generation", "solution")
    q = Q(partner_id=order.partner_id, status=SiteStatus.ACTIVE)
    if keeps_site_solution(order, lines):
        q &= Q(generation_id=order.generation_id) | Q(generation_id__isnull=True)
        if order.solution_id:
            q &= Q(solution_id=order.solution_id) | Q(solution_id__isnull=True)
    ordered = odata.odata_lines(lines)
    if ordered:
        q &= Q(hosting=Hosting.SAAS)
        # A solution that takes every ordered connector; a site without one is judged by the order's.
        targets = {reference.odata_target for reference, _quantity in ordered}
        solutions = references.instances(Solution).values()
        taking = [s.pk for s in solutions if targets <= set(s.odata_targets or [])]
        solution_q = Q(solution_id__in=taking)
        if order.solution_id is None or order.solution_id in taking:
            solution_q |= Q(solution_id__isnull=True)
        q &= solution_q
        # Not already active at that quota: the partner's sites with a connector are few, read at once.
        active = partner_active_odata
        if active is None:
            active = partner_sites_active_odata(partner_id=order.partner_id, excluding_order_id=order.pk)
        blocked = [
            site_id for site_id, connectors in active.items()
            if any(connectors.get(ref.odata_target) in odata.BLOCKING_QUOTAS[ref.odata_quota] for ref, _q in ordered)
        ]
        if blocked:
            q &= ~Q(pk__in=blocked)
    return q


def sites_fit_reasons(order: Order, sites: list[Site], lines: Lines | None = None) -> dict[int, list[str]]:
    """``site_fit_reasons`` of a page of sites, {site id: reasons} for those that do not fit: one
    query finds which fit, after one reading the partner's active connectors when the order has OData lines."""
    lines = _lines(order, lines)
    if not sites:
        return {}
    active: dict[int, dict[str, str]] = {}
    if odata.odata_lines(lines):
        active = partner_sites_active_odata(partner_id=order.partner_id, excluding_order_id=order.pk)
    fitting = set(
        Site.objects.filter(site_fit_q(order, lines, partner_active_odata=active), pk__in=[site.pk for site in sites])
        .values_list("pk", flat=True)
    )
    return {
        site.pk: site_fit_reasons(order, site, lines, active_odata=active.get(site.pk, {}))
        for site in sites
        if site.pk not in fitting
    }
