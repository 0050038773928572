"""The pickers inside an order (journeys.md, rule 3): by default only what the order can use; « afficher
tout » shows the rest with the reason, never selectable; the server check names the same reason."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalog.models import Solution
from opportunities.models import OpportunityStage
from orders.models import OrderStatus
from sites.models import Hosting, SiteStatus
from tests.factories import UserFactory
from tests.factories_certs import CertSiteFactory, order_at
from tests.factories_opportunities import OpportunityFactory
from tests.factories_orders import catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(partner):
    infinity = catalog(Solution, "INFINITY")
    return {
        "fitting": CertSiteFactory(partner=partner, number="C100001", company_name="Fitting"),
        "closed": CertSiteFactory(partner=partner, number="C100013", status=SiteStatus.CLOSED),
        "infinity": CertSiteFactory(
            partner=partner, number="C100020", generation=infinity.generation, solution=infinity
        ),
        "on_premise": CertSiteFactory(partner=partner, number="C100030", hosting=Hosting.ON_PREMISE),
    }


def licence_order(partner, user, lines=(("ONE-ERP-USER", 3),)):
    return order_at(OrderStatus.DRAFT, partner=partner, user=user, lines=list(lines), solution_code="ONE_ERP")


def rows(text: str) -> dict[str, str]:
    """Each row's value → its opening tag and cells."""
    return {
        match.group(1): match.group(0)
        for match in re.finditer(r'<tr class="browse-row[^"]*"[^>]*data-browse-value="([^"]+)".*?</tr>', text, re.S)
    }


def picker(order) -> str:
    return reverse("order_site_browse", kwargs={"public_id": order.public_id})


def test_it_lists_only_the_fitting_sites_by_default(client_for, partner, partner_user, sites):
    order = licence_order(partner, partner_user)
    sites["one_erp"] = CertSiteFactory(partner=partner, number="C100040", solution=catalog(Solution, "ONE_ERP"))
    text = client_for(partner_user).get(picker(order), {"mode": "modal"}).text
    assert set(rows(text)) == {"C100040"}
    assert "Afficher tous les sites" in text
    switch = re.search(r'<input[^>]*name="tout"[^>]*>', text).group(0)
    assert 'value="1"' in switch and "checked" not in switch


def test_show_all_lists_the_others_with_their_reason_and_not_selectable(client_for, partner, partner_user, sites):
    order = licence_order(partner, partner_user)
    client = client_for(partner_user)
    # The switch's answer: an htmx request for the rows only.
    text = client.get(
        picker(order), {"mode": "modal", "tout": "1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="browse-sites-rows"
    ).text
    assert text.startswith("<tbody")
    shown = rows(text)
    assert set(shown) == {"C100001", "C100013", "C100020", "C100030"}
    closed = shown["C100013"]
    assert 'aria-disabled="true"' in closed and "browse-unfit" in closed
    reason_id = re.search(r'aria-describedby="([^"]+)"', closed).group(1)
    assert f'id="{reason_id}">Le site C100013 est fermé. Le site C100013 utilise One / Divalto One ERP + CRM' in closed
    assert "Le site C100020 utilise Infinity V10 - Weavy V5 / Divalto infinity ; la commande porte sur One / " \
           "Divalto One ERP (étape Produit)." in shown["C100020"].replace("&#39;", "'")
    # The sort and page links keep the switch on.
    assert "tout=1" in text


def test_the_odata_order_picker_hides_the_on_premise_site(client_for, partner, partner_user, sites):
    order = licence_order(partner, partner_user, lines=[("SAAS IO ODATA", 1)])
    client = client_for(partner_user)
    assert set(rows(client.get(picker(order), {"mode": "modal"}).text)) == {"C100001", "C100020"}
    shown = rows(client.get(picker(order), {"mode": "modal", "tout": "1"}).text)
    assert "hébergé « Sur site (on-premise) »" in shown["C100030"].replace("&#34;", '"').replace("&#171;", "«")


@pytest.mark.parametrize("show_all", ["", "1"])
def test_the_picker_runs_a_fixed_number_of_queries(
    client_for, partner, partner_user, sites, show_all, django_assert_num_queries
):
    order = licence_order(partner, partner_user, lines=[("SAAS IO ODATA", 1), ("ONE-ERP-USER", 2)])
    for n in range(60):
        CertSiteFactory(
            partner=partner, number=f"C2{n:05d}", solution=catalog(Solution, "ONE_ERP"),
            hosting=Hosting.ON_PREMISE if n % 2 else Hosting.SAAS,
        )
    client = client_for(partner_user)
    client.get(picker(order), {"mode": "modal"})
    # session, user, the order, its lines, the partner's active connectors, the page, the count (more
    # than a page); with every site shown: which of the page fit (the connectors read before it instead).
    expected = 8 if show_all else 7
    with django_assert_num_queries(expected):
        client.get(picker(order), {"mode": "modal", "tout": show_all}, HTTP_HX_REQUEST="true",
                   HTTP_HX_TARGET="browse-sites-rows")


def test_the_picker_is_the_partners_own(client_for, partner, partner_user, sites, outsider, sales_admin):
    order = licence_order(partner, partner_user)
    assert client_for(outsider).get(picker(order)).status_code == 404
    assert client_for(sales_admin).get(picker(order)).status_code == 403
    assert client_for(None).get(picker(order)).status_code == 302
    colleague = UserFactory(partner=partner)
    assert client_for(colleague).get(picker(order)).status_code == 200


def test_the_site_step_opens_the_orders_picker(client_for, partner, partner_user, sites):
    order = licence_order(partner, partner_user)
    text = client_for(partner_user).get(
        reverse("order_wizard", kwargs={"public_id": order.public_id, "step": "site"})
    ).text
    assert f'data-browse-open="{picker(order)}?mode=modal"' in text


# --- the opportunity picker -------------------------------------------------------------------------


def test_the_opportunity_picker_shows_lost_ones_only_on_demand_with_their_reason(client_for, partner, partner_user):
    OpportunityFactory(partner=partner, number="OPP-000001", stage=OpportunityStage.OPEN)
    OpportunityFactory(partner=partner, number="OPP-000002", stage=OpportunityStage.WON)
    OpportunityFactory(partner=partner, number="OPP-000003", stage=OpportunityStage.LOST)
    client = client_for(partner_user)
    url = reverse("opportunity_browse_linkable")
    assert set(rows(client.get(url, {"mode": "modal"}).text)) == {"OPP-000001", "OPP-000002"}
    shown = rows(client.get(url, {"mode": "modal", "tout": "1"}).text)
    assert set(shown) == {"OPP-000001", "OPP-000002", "OPP-000003"}
    assert 'aria-disabled="true"' in shown["OPP-000003"]
    assert "L&#39;opportunité OPP-000003 est perdue" in shown["OPP-000003"]
    assert "aria-disabled" not in shown["OPP-000001"]


# --- the Site step's server check names the exact reason ---------------------------------------------


def site_step(order) -> str:
    return reverse("order_wizard", kwargs={"public_id": order.public_id, "step": "site"})


@pytest.mark.parametrize(
    ("number", "lines", "message"),
    [
        ("C100013", [("ONE-ERP-USER", 3)], "Le site C100013 est fermé."),
        (
            "C100020",
            [("ONE-ERP-USER", 3)],
            "Le site C100020 utilise Infinity V10 - Weavy V5 / Divalto infinity ; la commande porte sur "
            "One / Divalto One ERP (étape Produit).",
        ),
        ("C100030", [("SAAS IO ODATA", 1)], "Le site C100030 est hébergé « Sur site (on-premise) »"),
        ("C999999", [("ONE-ERP-USER", 3)], "Aucun site actif de votre société ne porte le numéro C999999."),
    ],
)
def test_the_site_step_refuses_an_unfit_site_with_its_reason(
    client_for, partner, partner_user, sites, number, lines, message
):
    import html

    order = licence_order(partner, partner_user, lines=lines)
    response = client_for(partner_user).post(site_step(order), {"site_number": number, "action": "next"})
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    order.refresh_from_db()
    assert order.site_id is None


def test_the_site_step_takes_a_fitting_site(client_for, partner, partner_user, sites):
    order = licence_order(partner, partner_user, lines=[("SAAS IO ODATA", 1)])
    response = client_for(partner_user).post(site_step(order), {"site_number": "c100001", "action": "next"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.site == sites["fitting"]


def test_use_existing_site_names_the_reason_too(client_for, partner, partner_user, sites):
    import html

    order = order_at(
        OrderStatus.DRAFT, partner=partner, user=partner_user, lines=[("ONE-ERP-USER", 3)],
        type_code="INTERNAL", origin_code="NEW_SITE", solution_code="ONE_ERP",
    )
    client = client_for(partner_user)
    response = client.post(site_step(order), {"use_existing_site": "C100013"})
    assert "Le site C100013 est fermé." in html.unescape(response.text)
    order.refresh_from_db()
    assert order.site_id is None


# --- OData connectors in the product step --------------------------------------------------------------


def product_step(order) -> str:
    return reverse("order_wizard", kwargs={"public_id": order.public_id, "step": "produit"})


def test_the_product_step_offers_no_connector_to_a_new_customer_and_says_why(client_for, partner, partner_user):
    import html

    order = order_at(
        OrderStatus.DRAFT, partner=partner, user=partner_user, lines=[("ONE-ERP-USER", 3)],
        type_code="NEW_CUSTOMER", origin_code="NEW_SITE", solution_code="ONE_ERP",
    )
    text = html.unescape(client_for(partner_user).get(product_step(order)).text)
    assert "ONE-ERP-USER" in text and "SAAS IO ODATA" not in text
    assert "Les connecteurs OData se commandent uniquement dans une commande additionnelle sur un site existant." \
        in text


def test_the_product_step_offers_connectors_to_an_additional_order(client_for, partner, partner_user):
    order = licence_order(partner, partner_user)
    text = client_for(partner_user).get(product_step(order)).text
    assert "SAAS IO ODATA" in text and 'data-testid="no-odata"' not in text


def test_a_connector_already_on_an_unfit_order_stays_shown_to_be_removed(client_for, partner, partner_user):
    order = order_at(
        OrderStatus.DRAFT, partner=partner, user=partner_user, lines=[("SAAS IO ODATA", 1)],
        type_code="NEW_CUSTOMER", origin_code="NEW_SITE", solution_code="ONE_ERP",
    )
    text = client_for(partner_user).get(product_step(order)).text
    assert "SAAS IO ODATA" in text and "SAAS IO ODATA EXT" not in text


@pytest.mark.parametrize("show_all", ["", "1"])
def test_the_opportunity_picker_runs_a_fixed_number_of_queries(
    client_for, partner, partner_user, show_all, django_assert_num_queries
):
    for n in range(40):
        OpportunityFactory(partner=partner, stage=OpportunityStage.LOST if n % 3 else OpportunityStage.OPEN)
    client = client_for(partner_user)
    url = reverse("opportunity_browse_linkable")
    client.get(url, {"mode": "modal"})
    # session, user, the page (its owners joined), the count past a page: the reasons need no query.
    with django_assert_num_queries(4 if show_all else 3):
        client.get(url, {"mode": "modal", "tout": show_all}, HTTP_HX_REQUEST="true",
                   HTTP_HX_TARGET="browse-opportunities-rows")
