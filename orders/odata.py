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
from sites.models import Hosting


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
    odata = [(ref, quantity) for ref, quantity in lines if ref.kind == ReferenceKind.ODATA and quantity]
    if not odata:
        return []
    solution = solution if solution is not None else order.solution
    by_target: dict[str, list[ProductReference]] = {}
    for reference, _quantity in odata:
        by_target.setdefault(reference.odata_target, []).append(reference)
    site = order.site
    problems = [(text, TYPE_AND_PRODUCT) for text in _type_problems(order)]
    problems += [(text, PRODUCT) for text in _line_problems(odata, by_target)]
    # Against the site's solution once a site is chosen (the one the connector will run on), else the order's.
    if site is not None and site.solution_id:
        problems += [(text, PRODUCT_AND_SITE) for text in _solution_problems(site.solution, by_target)]
    elif solution is not None:
        problems += [(text, PRODUCT) for text in _solution_problems(solution, by_target)]
    if site is not None:
        problems += [(text, PRODUCT_AND_SITE) for text in odata_site_problems(order, site, by_target)]
    return problems


def _type_problems(order: Order) -> list[str]:
    """An OData activation is an additional order on an existing site."""
    order_type, origin = order.order_type, order.origin
    if order_type is None or not order_type.is_odata_eligible:
        return [
            _("Les connecteurs OData se commandent uniquement dans une commande additionnelle sur un site existant.")
        ]
    if origin is None or origin.site_mode != SiteMode.EXISTING:
        return [_("Une activation OData concerne un site existant : choisissez l'origine « Site existant ».")]
    return []


def _line_problems(odata, by_target: dict[str, list[ProductReference]]) -> list[str]:
    """One connector per target, ordered once."""
    problems = [
        _("Le connecteur %(code)s s'active une fois par site : indiquez la quantité 1.") % {"code": reference.code}
        for reference, quantity in odata
        if quantity != 1
    ]
    for target, references in sorted(by_target.items()):
        if len(references) > 1:
            problems.append(
                _("Choisissez un seul quota pour le connecteur OData %(target)s : standard ou étendu, pas les deux.")
                % {"target": _target_label(target)}
            )
    return problems


def _solution_problems(solution: Solution, by_target: dict[str, list[ProductReference]]) -> list[str]:
    """References matching the solution (ERP for infinity or One ERP, CRM for weavy or One CRM)."""
    allowed = set(solution.odata_targets or [])
    return [
        _("Le connecteur OData %(target)s ne correspond pas à la solution « %(solution)s » du site.")
        % {"target": _target_label(target), "solution": solution.display_label}
        for target in sorted(by_target)
        if target not in allowed
    ]


def odata_site_problems(order: Order, site, by_target: dict[str, list[ProductReference]]) -> list[str]:
    """The rules that need the site: hosted in the vendor cloud, connector not already active at that quota."""
    problems = []
    if site.hosting != Hosting.SAAS:
        problems.append(
            _("Le site %(number)s est hébergé « %(hosting)s » : le service OData n'est proposé qu'aux sites "
              "hébergés dans le cloud Divalto (SaaS).")
            % {"number": site.number, "hosting": site.get_hosting_display()}
        )
    # Standard → extended is an upgrade, allowed.
    from orders.selectors import site_active_odata

    active = site_active_odata(site=site, excluding_order_id=order.pk)
    for target, references in sorted(by_target.items()):
        current = active.get(target)
        for reference in references:
            if current == reference.odata_quota:
                problems.append(
                    _("Le connecteur OData %(target)s est déjà actif sur le site %(number)s au %(quota)s.")
                    % {"target": _target_label(target), "number": site.number, "quota": _quota_label(current)}
                )
            elif current == ODataQuota.EXTENDED and reference.odata_quota == ODataQuota.STANDARD:
                problems.append(
                    _("Le connecteur OData %(target)s est déjà actif sur le site %(number)s au quota étendu, "
                      "qui comprend le quota standard.")
                    % {"target": _target_label(target), "number": site.number}
                )
    return problems
