"""OData activation orders (design.md §7): every rule, the site's active connectors, the request from a site."""

from __future__ import annotations

import datetime
import html

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalog.models import OrderType, Origin, ProductReference, Solution
from orders.errors import OrderError
from orders.models import Order, OrderStatus
from orders.odata import odata_problems
from orders.selectors import site_active_odata
from orders.services.drafts import order_set_product
from orders.services.odata_request import order_odata_request_create
from orders.wizard import engine
from sites.models import Hosting
from tests.factories_certs import CertSiteFactory, complete, order_at
from tests.factories_orders import catalog

pytestmark = pytest.mark.django_db

ERP_STD, ERP_EXT = "SAAS IO ODATA", "SAAS IO ODATA EXT"
CRM_STD, CRM_EXT = "SAAS WONE ODATA", "SAAS WONE ODATA EXT"


def ref(code):
    return catalog(ProductReference, code)


def shown(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def site(partner):
    return CertSiteFactory(partner=partner, number="C900100", solution=catalog(Solution, "ONE_ERP_CRM"))


def draft(partner, user, site, *, lines=(), type_code="ADDITIONAL", origin_code="EXISTING_SITE"):
    return order_at(
        OrderStatus.DRAFT, partner=partner, user=user, site=site, lines=lines, type_code=type_code,
        origin_code=origin_code,
    )


def set_product(order, user, **quantities):
    """Step 2 through the service, with {reference code: quantity}."""
    return order_set_product(
        order=order,
        user=user,
        generation=order.solution.generation,
        solution=order.solution,
        quantities={ref(code).pk: qty for code, qty in quantities.items()},
    )


def completed_with(partner, site, *codes, when=None):
    order = order_at(OrderStatus.ACTIVATED, partner=partner, site=site, lines=[(c, 1) for c in codes])
    return complete(order, when=when)


# --- every rule, on the server ---------------------------------------------------------------------------


def test_the_product_step_reads_an_orders_lines_with_their_references_at_once(partner, partner_user, site,
                                                                             django_assert_num_queries):
    from catalog import references
    from orders.wizard.steps.product import ProductStep

    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_STD: 1, CRM_EXT: 1})
    order = Order.objects.select_related("site").get(pk=order.pk)
    references.attach(order, "order_type", "origin", "generation", "solution")
    references.attach(order.site, "solution")
    # The lines with their references, then the site's active connectors: not one more per line.
    with django_assert_num_queries(2):
        assert ProductStep().missing(order) == []


def test_it_accepts_odata_connectors_for_a_saas_site_of_the_right_solution(partner, partner_user, site):
    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_STD: 1, CRM_EXT: 1})
    assert set(order.lines.values_list("reference__code", flat=True)) == {ERP_STD, CRM_EXT}
    assert odata_problems(order) == []


def test_it_refuses_odata_on_an_order_type_that_is_not_an_additional_order(partner, partner_user, site):
    order = draft(partner, partner_user, None, type_code="NEW_CUSTOMER", origin_code="NEW_SITE")
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{ERP_STD: 1})
    assert "uniquement dans une commande additionnelle sur un site existant" in " ".join(refused.value.messages)
    assert not order.lines.exists()


def test_it_refuses_odata_without_an_existing_site(partner, partner_user):
    internal = catalog(OrderType, "INTERNAL")
    internal.is_odata_eligible = True  # an eligible type offering a new site: the origin rule still holds
    internal.save()
    order = draft(partner, partner_user, None, type_code="INTERNAL", origin_code="NEW_SITE")
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{ERP_STD: 1})
    assert "choisissez l'origine « Site existant »" in " ".join(refused.value.messages)


def test_it_refuses_odata_for_an_on_premise_site(partner, partner_user, site):
    site.hosting = Hosting.ON_PREMISE
    site.save()
    order = draft(partner, partner_user, site)
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{ERP_STD: 1})
    assert "hébergés dans le cloud Divalto (SaaS)" in " ".join(refused.value.messages)


def test_it_refuses_a_connector_that_does_not_match_the_sites_solution(partner, partner_user):
    erp_only = CertSiteFactory(partner=partner, solution=catalog(Solution, "ONE_ERP"))
    order = order_at(OrderStatus.DRAFT, partner=partner, user=partner_user, site=erp_only, lines=(),
                     solution_code="ONE_ERP_CRM")
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{CRM_STD: 1})
    assert "CRM ne correspond pas à la solution « Divalto One ERP » du site" in " ".join(refused.value.messages)
    set_product(order, partner_user, **{ERP_STD: 1})  # the ERP connector fits


@pytest.mark.parametrize(("solution_code", "allowed", "refused"), [
    ("INFINITY", ERP_STD, CRM_STD),
    ("WEAVY", CRM_STD, ERP_STD),
    ("ONE_ERP", ERP_STD, CRM_STD),
    ("ONE_CRM", CRM_STD, ERP_STD),
])
def test_erp_connectors_fit_erp_solutions_and_crm_connectors_crm_ones(partner, partner_user, solution_code, allowed,
                                                                       refused):
    site = CertSiteFactory(partner=partner, solution=catalog(Solution, solution_code))
    order = order_at(OrderStatus.DRAFT, partner=partner, user=partner_user, site=site, lines=(),
                     solution_code="ONE_ERP_CRM")
    set_product(order, partner_user, **{allowed: 1})
    with pytest.raises(OrderError):
        set_product(order, partner_user, **{refused: 1})


def test_it_refuses_both_quotas_for_the_same_target(partner, partner_user, site):
    order = draft(partner, partner_user, site)
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{ERP_STD: 1, ERP_EXT: 1})
    assert "un seul quota pour le connecteur OData ERP" in " ".join(refused.value.messages)


def test_it_allows_one_quota_per_target_for_both_targets(partner, partner_user, site):
    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_EXT: 1, CRM_STD: 1})
    assert order.lines.count() == 2


def test_a_connector_is_ordered_once(partner, partner_user, site):
    order = draft(partner, partner_user, site)
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{ERP_STD: 2})
    assert "indiquez la quantité 1" in " ".join(refused.value.messages)


def test_it_refuses_a_connector_already_active_at_that_quota(partner, partner_user, site):
    completed_with(partner, site, ERP_STD)
    order = draft(partner, partner_user, site)
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{ERP_STD: 1})
    assert "déjà actif sur le site C900100 au quota standard" in " ".join(refused.value.messages)


def test_it_allows_moving_from_standard_to_extended_quota(partner, partner_user, site):
    completed_with(partner, site, ERP_STD)
    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_EXT: 1})
    assert odata_problems(order) == []


def test_it_refuses_standard_quota_when_extended_is_active(partner, partner_user, site):
    completed_with(partner, site, ERP_EXT)
    order = draft(partner, partner_user, site)
    with pytest.raises(OrderError) as refused:
        set_product(order, partner_user, **{ERP_STD: 1})
    assert "qui comprend le quota standard" in " ".join(refused.value.messages)


def test_a_connector_active_on_another_site_does_not_count(partner, partner_user, site):
    completed_with(partner, CertSiteFactory(partner=partner), ERP_STD)
    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_STD: 1})


def test_ordinary_references_are_not_held_to_the_odata_rules(partner, partner_user):
    on_premise = CertSiteFactory(partner=partner, hosting=Hosting.ON_PREMISE)
    order = draft(partner, partner_user, on_premise)
    set_product(order, partner_user, **{"ONE-ERP-USER": 4})
    assert odata_problems(order) == []


def test_a_rule_broken_after_step_two_blocks_submission(partner, partner_user, site):
    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_STD: 1})
    site.hosting = Hosting.ON_PREMISE  # e.g. another site chosen at step 3, or the site moved on-premise
    site.save()
    order.refresh_from_db()
    missing = {step.identifier: lacks for step, lacks in engine.missing_for_submission(order)}
    # A conflict between two answers: it blocks submission, counted against the later step (the site) ...
    assert "produit" not in missing
    assert any("cloud Divalto (SaaS)" in lack for lack in missing["site"])
    # ... is shown on both steps, and locks neither (journeys.md, rule 1: no dead end).
    states = {state.step.identifier: state for state in engine.step_states(order)}
    for identifier in ("produit", "site"):
        assert states[identifier].reachable
        assert not states[identifier].completed
        assert [c.identifiers for c in states[identifier].conflicts] == [("produit", "site")]
    assert engine.resolve_step(order, "site").identifier == "site"



def test_a_conflict_is_shown_on_both_steps_with_a_link_to_the_other(client_for, partner, partner_user, site):
    """journeys.md rule 1: at the top of the step, naming both answers, linking to the step that resolves it."""
    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_STD: 1})
    site.hosting = Hosting.ON_PREMISE
    site.save()
    client = client_for(partner_user)
    for here, other in (("site", "produit"), ("produit", "site")):
        response = client.get(reverse("order_wizard", args=[order.public_id, here]))
        assert response.status_code == 200, here  # not redirected: no step is locked by the conflict
        page = response.content.decode()
        summary = page[page.index('id="error-summary"'):page.index("</ul>", page.index('id="error-summary"'))]
        assert "1 réponse à corriger" in summary
        assert "cloud Divalto (SaaS)" in html.unescape(summary)
        assert f'href="{reverse("order_wizard", args=[order.public_id, other])}"' in summary


def test_picking_a_site_that_cannot_take_the_connector_is_refused_where_the_user_acts(
    client_for, partner, partner_user, site
):
    """The dead end of issue 18: refused on the Site step, naming both answers, linking to the product step."""
    order = draft(partner, partner_user, site)
    set_product(order, partner_user, **{ERP_STD: 1})
    on_premise = CertSiteFactory(partner=partner, hosting=Hosting.ON_PREMISE, solution=site.solution,
                                 generation=site.generation)
    client = client_for(partner_user)
    response = client.post(reverse("order_wizard", args=[order.public_id, "site"]),
                           {"site_number": on_premise.number, "action": "next"})
    assert response.status_code == 200  # stays on the Site step
    page = html.unescape(response.content.decode())
    summary = page[page.index('id="error-summary"'):page.index("</ul>", page.index('id="error-summary"'))]
    assert f"Le site {on_premise.number} est hébergé" in summary
    assert "1 réponse à corriger" in summary
    assert f'href="{reverse("order_wizard", args=[order.public_id, "produit"])}"' in summary
    order.refresh_from_db()
    assert order.site == site  # the refused pick is not saved

# --- active connectors, derived from completed orders --------------------------------------------------------


def test_active_connectors_come_from_completed_orders_only(partner, site):
    order_at(OrderStatus.ACTIVATED, partner=partner, site=site, lines=((CRM_STD, 1),))
    order_at(OrderStatus.SUBMITTED, partner=partner, site=site, lines=((ERP_EXT, 1),))
    completed_with(partner, site, ERP_STD)
    assert site_active_odata(site=site) == {"erp": "standard"}


def test_the_latest_completed_order_wins_per_target(partner, site):
    now = timezone.now()
    completed_with(partner, site, ERP_EXT, when=now)
    completed_with(partner, site, ERP_STD, CRM_STD, when=now - datetime.timedelta(days=30))
    assert site_active_odata(site=site) == {"erp": "extended", "crm": "standard"}


def test_active_connectors_take_one_query(partner, site, django_assert_num_queries):
    for _ in range(3):
        completed_with(partner, site, ERP_STD, CRM_EXT)
    with django_assert_num_queries(1):
        site_active_odata(site=site)


# --- the wizard explains -----------------------------------------------------------------------------------------


def test_step_two_explains_the_quotas_with_the_price_sheet(client_for, partner, partner_user, site):
    order = draft(partner, partner_user, site, lines=((ERP_STD, 1),))
    response = client_for(partner_user).get(reverse("order_wizard", args=[order.public_id, "produit"]))
    page = shown(response)
    assert "quota standard ou quota étendu" in page
    assert settings.PARTNER_PRICE_SHEET_URL in page


def test_step_two_without_odata_references_has_no_quota_explanation(client_for, partner, partner_user, site):
    order = order_at(OrderStatus.DRAFT, partner=partner, user=partner_user, site=site, lines=(("V7-USER", 1),),
                     solution_code="INFINITY_V7_ADDITIONAL")
    response = client_for(partner_user).get(reverse("order_wizard", args=[order.public_id, "produit"]))
    assert "quota standard ou quota étendu" not in shown(response)


def test_step_two_shows_why_odata_references_are_refused(client_for, partner, partner_user, site):
    order = draft(partner, partner_user, site)
    data = {"generation": order.generation_id, "solution": order.solution_id,
            f"qty_{ref(ERP_STD).pk}": 1, f"qty_{ref(ERP_EXT).pk}": 1}
    response = client_for(partner_user).post(reverse("order_wizard", args=[order.public_id, "produit"]), data)
    assert response.status_code == 200
    assert "Choisissez un seul quota pour le connecteur OData ERP" in shown(response)
    assert not order.lines.exists()


def test_step_two_lists_the_problems_of_saved_lines(client_for, partner, partner_user, site):
    order = draft(partner, partner_user, site, lines=((ERP_STD, 1),))
    completed_with(partner, site, ERP_STD)
    response = client_for(partner_user).get(reverse("order_wizard", args=[order.public_id, "produit"]))
    assert "déjà actif sur le site C900100 au quota standard" in shown(response)


# --- « Demander l'activation OData » from a site -------------------------------------------------------------------


def request_url(site):
    return reverse("order_odata_request", args=[site.number])


def test_it_opens_a_prefilled_draft_at_the_product_step(client_for, partner_user, site):
    response = client_for(partner_user).post(request_url(site))
    order = Order.objects.get(site=site)
    assert response.status_code == 302
    assert response.url == reverse("order_wizard", args=[order.public_id, "produit"])
    assert (order.status, order.order_type.code, order.origin.code) == ("draft", "ADDITIONAL", "EXISTING_SITE")
    assert (order.generation, order.solution, order.customer_name) == (site.generation, site.solution,
                                                                       site.company_name)
    assert set(order.lines.values_list("reference__code", "quantity")) == {(ERP_STD, 1), (CRM_STD, 1)}
    assert order.certificate_recipients == [partner_user.email]
    assert order.delivery_date == timezone.localdate()
    assert order.events.get().to_status == OrderStatus.DRAFT


def test_it_prefills_the_contact_of_the_sites_latest_order(partner, partner_user, site):
    earlier = order_at(OrderStatus.COMPLETED, partner=partner, site=site)
    Order.objects.filter(pk=earlier.pk).update(
        contact_civility="mrs", contact_first_name="Inès", contact_last_name="Garnier",
        contact_email="ines.garnier@brasserie.example", contact_phone="04 72 10 20 30",
    )
    order, _resumed = order_odata_request_create(user=partner_user, site=site)
    assert (order.contact_first_name, order.contact_last_name, order.contact_email) == (
        "Inès", "Garnier", "ines.garnier@brasserie.example"
    )


def test_it_offers_only_the_connectors_not_yet_active(partner, partner_user, site):
    completed_with(partner, site, ERP_STD)
    order, _resumed = order_odata_request_create(user=partner_user, site=site)
    assert list(order.lines.values_list("reference__code", flat=True)) == [CRM_STD]
    assert odata_problems(order) == []


def test_asking_twice_opens_the_same_draft_and_says_so(client_for, partner_user, site):
    client = client_for(partner_user)
    first = client.post(request_url(site))
    assert "elle est reprise" not in shown(client.get(first.url))
    second = client.post(request_url(site))
    assert first.url == second.url
    assert Order.objects.filter(site=site).count() == 1
    # The second time, the partner is told the older draft is resumed as it was left.
    assert "elle est reprise telle que vous l'aviez laissée" in shown(client.get(second.url))


def test_it_refuses_an_on_premise_site_with_an_explanation(client_for, partner, partner_user):
    on_premise = CertSiteFactory(partner=partner, hosting=Hosting.ON_PREMISE)
    response = client_for(partner_user).post(request_url(on_premise), follow=True)
    assert "hébergés dans le cloud Divalto (SaaS)" in shown(response)
    assert not Order.objects.exists()


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("partner_user", 302), ("partner_admin", 302),
                                               ("outsider", 404), ("sales_admin", 403), ("cloud_member", 403)])
def test_only_the_sites_partner_requests_an_odata_activation(request, client_for, site, role, expected):
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).post(request_url(site))
    assert response.status_code == expected
    assert Order.objects.exists() == (role in ("partner_user", "partner_admin"))


def test_the_request_is_a_post(client_for, partner_user, site):
    assert client_for(partner_user).get(request_url(site)).status_code == 405


# --- the site page --------------------------------------------------------------------------------------------------


def test_the_site_page_shows_active_connectors_and_the_request_button(client_for, partner, partner_user, site):
    completed_with(partner, site, ERP_EXT)
    page = shown(client_for(partner_user).get(reverse("site_detail", args=[site.number])))
    assert "Connecteur OData ERP — Quota étendu" in page
    assert "Demander l'activation OData" in page
    assert request_url(site) in page


def test_the_site_page_explains_why_an_on_premise_site_has_no_odata(client_for, partner, partner_user):
    on_premise = CertSiteFactory(partner=partner, hosting=Hosting.ON_PREMISE)
    page = shown(client_for(partner_user).get(reverse("site_detail", args=[on_premise.number])))
    assert "Aucun connecteur OData n'est actif sur ce site." in page
    assert "hébergés dans le cloud Divalto (SaaS)" in page
    assert request_url(on_premise) not in page


def test_the_site_page_hides_the_button_when_everything_is_active(client_for, partner, partner_user, site):
    completed_with(partner, site, ERP_EXT, CRM_EXT)
    page = shown(client_for(partner_user).get(reverse("site_detail", args=[site.number])))
    assert request_url(site) not in page
    assert "actifs au quota étendu" in page


def test_an_origin_is_still_needed_from_the_catalog(partner_user, site):
    Origin.objects.filter(site_mode="existing").update(is_active=False)
    with pytest.raises(OrderError):
        order_odata_request_create(user=partner_user, site=site)


def test_the_service_says_whether_it_resumed_a_draft(partner_user, site):
    first, resumed_first = order_odata_request_create(user=partner_user, site=site)
    second, resumed_second = order_odata_request_create(user=partner_user, site=site)
    assert (resumed_first, resumed_second) == (False, True)
    assert second.pk == first.pk
