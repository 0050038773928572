"""The rules of OData activation orders (design.md §7), in one place.

``odata_problems(order)`` lists, in French sentences a partner understands, why
the order's OData references cannot be ordered as they are; an empty list means
they can. The wizard's product step shows them (and stays incomplete, so the
order cannot be submitted) and ``order_set_product`` refuses a change that breaks one.
Rules that need the site are checked once a site is known.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from catalog.models import ODataQuota, ODataTarget, ProductReference, ReferenceKind, SiteMode, Solution
from orders.models import Order
from sites.models import Hosting, Site


def _target_label(target: str) -> str:
    return str(ODataTarget(target).label)


def _quota_label(quota: str) -> str:
    return str(ODataQuota(quota).label).lower()


def saved_lines(order: Order) -> list[tuple[ProductReference, int]]:
    """The order's saved lines as (reference, quantity), in one query (none for an order not saved yet)."""
    if order.pk is None:
        return []
    return [(line.reference, line.quantity) for line in order.lines.select_related("reference")]


def odata_problems(order: Order, lines: list[tuple[ProductReference, int]] | None = None) -> list[str]:
    """Why the OData references of the order, as saved, cannot be ordered (empty: they can).
    ``lines``: its ``saved_lines`` when the caller has them already."""
    return [text for text, _steps in odata_conflicts(order, saved_lines(order) if lines is None else lines)]


def odata_order_refusal(order: Order) -> str | None:
    """Why the order's type and origin cannot take OData connectors (a sentence), or None when they can."""
    order_type, origin = order.order_type, order.origin
    if order_type is None or not order_type.is_odata_eligible:
        return _("Les connecteurs OData se commandent uniquement dans une commande additionnelle sur un site existant.")
    if origin is None or origin.site_mode != SiteMode.EXISTING:
        return _("Une activation OData concerne un site existant : choisissez l'origine « Site existant ».")
    return None


def odata_problems_for(
    *, order: Order, solution: Solution | None, lines: Iterable[tuple[ProductReference, int]]
) -> list[str]:
    """The same rules for lines about to be saved (reference, quantity) with ``solution``."""
    return [text for text, _steps in odata_conflicts(order, lines, solution=solution)]


#: The wizard steps each group of rules involves: a rule between two steps is a conflict between two
#: answers, shown on both steps (``orders.completeness.order_conflicts``), never a lock on the later one.
TYPE_AND_PRODUCT = ("type", "produit")
PRODUCT = ("produit",)
PRODUCT_AND_SITE = ("produit", "site")


def odata_conflicts(
    order: Order, lines: Iterable[tuple[ProductReference, int]], *, solution: Solution | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    """Every broken OData rule as (sentence, the steps whose answers disagree)."""
    odata = odata_lines(lines)
    if not odata:
        return []
    solution = solution if solution is not None else order.solution
    problems: list[tuple[str, tuple[str, ...]]] = []
    refusal = odata_order_refusal(order)
    if refusal:
        problems.append((refusal, TYPE_AND_PRODUCT))
    # One connector per target, ordered once.
    by_target: dict[str, list[ProductReference]] = {}
    for reference, quantity in odata:
        by_target.setdefault(reference.odata_target, []).append(reference)
        if quantity != 1:
            problems.append((
                _("Le connecteur %(code)s s'active une fois par site : indiquez la quantité 1.")
                % {"code": reference.code},
                PRODUCT,
            ))
    for target, references in sorted(by_target.items()):
        if len(references) > 1:
            problems.append((
                _("Choisissez un seul quota pour le connecteur OData %(target)s : standard ou étendu, pas les deux.")
                % {"target": _target_label(target)},
                PRODUCT,
            ))
    # Without a site, the connectors are held to the order's own solution: the product step's own rule.
    steps = PRODUCT_AND_SITE if order.site_id else PRODUCT
    problems += [
        (text, steps) for text in odata_site_problems(order=order, site=order.site, solution=solution, lines=odata)
    ]
    return problems


# Quotas that an active connector's quota makes pointless to order again: the same one, or the
# standard one under an active extended one (standard → extended is an upgrade, allowed).
BLOCKING_QUOTAS: dict[str, tuple[str, ...]] = {
    ODataQuota.STANDARD: (ODataQuota.STANDARD, ODataQuota.EXTENDED),
    ODataQuota.EXTENDED: (ODataQuota.EXTENDED,),
}


def odata_lines(lines: Iterable[tuple[ProductReference, int]]) -> list[tuple[ProductReference, int]]:
    """The OData lines among ``lines`` (reference, quantity), those with a quantity."""
    return [(ref, quantity) for ref, quantity in lines if ref.kind == ReferenceKind.ODATA and quantity]


def odata_site_problems(
    *,
    order: Order,
    site: Site | None,
    solution: Solution | None,
    lines: Iterable[tuple[ProductReference, int]],
    active: dict[str, str] | None = None,
) -> list[str]:
    """The rules of the OData ``lines`` that depend on ``site`` (the order's, or one a picker offers):
    its solution's connectors, its hosting, the connectors already active on it. ``active``: the
    site's ``site_active_odata`` when the caller has it already."""
    odata = odata_lines(lines)
    if not odata:
        return []
    problems: list[str] = []
    targets = sorted({reference.odata_target for reference, _quantity in odata})

    # References matching the site's solution (ERP for infinity or One ERP, CRM for weavy or One CRM).
    site_solution = (site.solution if site is not None and site.solution_id else None) or solution
    if site_solution is not None:
        allowed = set(site_solution.odata_targets or [])
        for target in targets:
            if target not in allowed:
                problems.append(
                    _("Le connecteur OData %(target)s ne correspond pas à la solution « %(solution)s » du site.")
                    % {"target": _target_label(target), "solution": site_solution.display_label}
                )
    if site is None:
        return problems

    # Hosted in the vendor cloud.
    if site.hosting != Hosting.SAAS:
        problems.append(
            _("Le site %(number)s est hébergé « %(hosting)s » : le service OData n'est proposé qu'aux sites "
              "hébergés dans le cloud Divalto (SaaS).")
            % {"number": site.number, "hosting": site.get_hosting_display()}
        )
    # Not already active at that quota.
    if active is None:
        from orders.selectors import site_active_odata

        active = site_active_odata(site=site, excluding_order_id=order.pk)
    for reference, _quantity in sorted(odata, key=lambda line: line[0].odata_target):
        target, current = reference.odata_target, active.get(reference.odata_target)
        if current not in BLOCKING_QUOTAS[reference.odata_quota]:
            continue
        if current == reference.odata_quota:
            problems.append(
                _("Le connecteur OData %(target)s est déjà actif sur le site %(number)s au %(quota)s.")
                % {"target": _target_label(target), "number": site.number, "quota": _quota_label(current)}
            )
        else:
            problems.append(
                _("Le connecteur OData %(target)s est déjà actif sur le site %(number)s au quota étendu, "
                  "qui comprend le quota standard.")
                % {"target": _target_label(target), "number": site.number}
            )
    return problems
