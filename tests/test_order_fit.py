"""Whether a site fits an order (orders/fit.py): the reasons and the database filter say the same."""

from __future__ import annotations

import pytest

from catalog.models import Solution
from orders.fit import site_fit_q, site_fit_reasons, sites_fit_reasons
from orders.models import Order, OrderStatus
from sites.models import Hosting, Site, SiteStatus
from tests.factories import PartnerFactory
from tests.factories_certs import CertSiteFactory, complete, order_at
from tests.factories_orders import catalog

pytestmark = pytest.mark.django_db


def grid(partner) -> dict[str, Site]:
    """One site per reason, and one that fits (an ERP order on « Divalto One ERP + CRM »)."""
    infinity = catalog(Solution, "INFINITY")
    sites = {
        "fitting": CertSiteFactory(partner=partner, number="C100001"),
        "closed": CertSiteFactory(partner=partner, number="C100002", status=SiteStatus.CLOSED),
        "other_generation": CertSiteFactory(
            partner=partner, number="C100003", generation=infinity.generation, solution=infinity
        ),
        "other_solution": CertSiteFactory(partner=partner, number="C100004", solution=catalog(Solution, "ONE_ERP")),
        "on_premise": CertSiteFactory(partner=partner, number="C100005", hosting=Hosting.ON_PREMISE),
        "odata_active": CertSiteFactory(partner=partner, number="C100006"),
        "other_partner": CertSiteFactory(number="C100007"),
        # An old import: its product not recorded, so not held against it.
        "unknown_product": CertSiteFactory(partner=partner, number="C100008", generation=None, solution=None),
    }
    complete(order_at(OrderStatus.ACTIVATED, partner=partner, site=sites["odata_active"], lines=[("SAAS IO ODATA", 1)]))
    return sites


def draft(partner, user, *, lines, type_code="ADDITIONAL"):
    return order_at(
        OrderStatus.DRAFT, partner=partner, user=user, lines=lines, type_code=type_code, solution_code="ONE_ERP_CRM"
    )


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


@pytest.mark.parametrize(
    ("lines", "type_code", "unfit"),
    [
        # Licences: the site's generation and solution must be the order's.
        ([("ONE-ERP-USER", 3)], "ADDITIONAL", {"closed", "other_generation", "other_solution", "other_partner"}),
        # A migration moves the site to another product: only the status and the partner count.
        ([("ONE-ERP-USER", 3)], "MIGRATION", {"closed", "other_partner"}),
        # A service alone is bound to no solution.
        ([("SETUP-DAY", 1)], "ADDITIONAL", {"closed", "other_partner"}),
        # OData: hosting, a solution taking the connector (INFINITY and ONE_ERP do), not already active.
        ([("SAAS IO ODATA", 1)], "ADDITIONAL", {"closed", "on_premise", "odata_active", "other_partner"}),
        # A CRM connector: INFINITY and ONE_ERP take none.
        (
            [("SAAS WONE ODATA", 1)],
            "ADDITIONAL",
            {"closed", "other_generation", "other_solution", "on_premise", "other_partner"},
        ),
        # The extended quota is an upgrade of an active standard one.
        ([("SAAS IO ODATA EXT", 1)], "ADDITIONAL", {"closed", "on_premise", "other_partner"}),
    ],
)
def test_it_agrees_between_the_reasons_and_the_filter(partner, partner_user, lines, type_code, unfit):
    sites = grid(partner)
    order = fresh(draft(partner, partner_user, lines=lines, type_code=type_code))
    by_reasons = {name for name, site in sites.items() if site_fit_reasons(order, site)}
    fitting_pks = set(Site.objects.filter(site_fit_q(order)).values_list("pk", flat=True))
    by_filter = {name for name, site in sites.items() if site.pk not in fitting_pks}
    assert by_reasons == unfit
    assert by_filter == unfit
    batch = sites_fit_reasons(order, list(Site.objects.filter(pk__in=[s.pk for s in sites.values()])))
    assert {name for name, site in sites.items() if site.pk in batch} == unfit


def test_it_names_both_answers(partner, partner_user):
    sites = grid(partner)
    order = fresh(draft(partner, partner_user, lines=[("ONE-ERP-USER", 3)]))
    assert site_fit_reasons(order, sites["closed"]) == ["Le site C100002 est fermé."]
    assert site_fit_reasons(order, sites["other_generation"]) == [
        "Le site C100003 utilise Infinity V10 - Weavy V5 / Divalto infinity ; "
        "la commande porte sur One / Divalto One ERP + CRM (étape Produit)."
    ]
    assert site_fit_reasons(order, sites["other_partner"]) == ["Le site C100007 n'appartient pas à votre société."]
    assert site_fit_reasons(order, sites["fitting"]) == []


def test_it_names_the_odata_rules_of_the_site(partner, partner_user):
    sites = grid(partner)
    order = fresh(draft(partner, partner_user, lines=[("SAAS IO ODATA", 1)]))
    assert site_fit_reasons(order, sites["on_premise"]) == [
        "Le site C100005 est hébergé « Sur site (on-premise) » : le service OData n'est proposé qu'aux sites "
        "hébergés dans le cloud Divalto (SaaS)."
    ]
    assert site_fit_reasons(order, sites["odata_active"]) == [
        "Le connecteur OData ERP est déjà actif sur le site C100006 au quota standard."
    ]


def test_it_filters_with_few_queries_and_no_join(partner, partner_user, django_assert_num_queries):
    grid(partner)
    PartnerFactory()
    order = fresh(draft(partner, partner_user, lines=[("SAAS IO ODATA", 1)]))
    lines = [(line.reference, line.quantity) for line in order.lines.select_related("reference")]
    site_fit_q(order, lines)  # the catalog's cache, read once per process
    # The partner's active connectors (few rows), then the page: no join, no subquery per site.
    with django_assert_num_queries(2) as captured:
        list(Site.objects.filter(site_fit_q(order, lines)).order_by("number")[:25])
    page = captured.captured_queries[1]["sql"]
    assert " JOIN " not in page and page.count("SELECT") == 1
