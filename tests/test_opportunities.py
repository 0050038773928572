"""Opportunities: the list and popup, linking one to an order (pre-fill and locks), refusals, import, demo."""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.timezone import localtime

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from opportunities.models import Opportunity, OpportunityStage, split_person_name
from opportunities.services import opportunity_import_csv
from orders.errors import OrderError
from orders.models import Order, OrderLine, OrderStatus
from orders.services.opportunity import order_link_opportunity, order_unlink_opportunity
from orders.wizard.forms import ProductForm
from tests.factories import UserFactory
from tests.factories_opportunities import OpportunityFactory
from tests.factories_orders import OrderFactory, catalog, draft_with_product

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return html.unescape(response.content.decode())


def step_url(order, step):
    return reverse("order_wizard", args=[order.public_id, step])


@pytest.fixture
def draft(partner, partner_user):
    return OrderFactory(partner=partner, created_by=partner_user)


@pytest.fixture
def opportunity(partner):
    return OpportunityFactory(partner=partner, number="OPP-000101", name="Refonte ERP")


def post_step_one(client, order, *, origin="OPPORTUNITY", order_type="NEW_CUSTOMER", opportunity=""):
    return client.post(
        step_url(order, "type"),
        {
            "order_type": catalog(OrderType, order_type).pk,
            "origin": catalog(Origin, origin).pk,
            "opportunity": opportunity,
            "action": "next",
        },
    )


def at_step_one(order, *, origin="OPPORTUNITY", order_type="NEW_CUSTOMER"):
    order.order_type = catalog(OrderType, order_type)
    order.origin = catalog(Origin, origin)
    order.save()
    return order


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Claire Lemaire", ("", "Claire", "Lemaire")),
        ("DUPONT Marie", ("", "Marie", "DUPONT")),
        ("Mme Marie-Claire DE LA FONTAINE", ("mrs", "Marie-Claire", "DE LA FONTAINE")),
        ("M. Jean de La Fontaine", ("mr", "Jean", "de La Fontaine")),
        ("Dr Hélène Vasseur", ("", "Hélène", "Vasseur")),
        ("Martin", ("", "", "Martin")),
        ("  ", ("", "", "")),
    ],
)
def test_it_splits_a_contact_name_into_civility_first_and_last_name(full_name, parts):
    assert split_person_name(full_name) == parts


# --- linking: pre-fill and locks -----------------------------------------------------------------


def test_it_links_the_opportunity_and_takes_its_generation_and_solution(client_for, partner_user, draft, opportunity):
    response = post_step_one(client_for(partner_user), draft, opportunity="opp-000101")
    assert response.status_code == 302
    assert response.url == step_url(draft, "produit")
    draft.refresh_from_db()
    assert draft.opportunity == opportunity
    assert draft.generation.code == "ONE"
    assert draft.solution.code == "ONE_ERP"
    assert [event.text for event in draft.events.all()].count("Opportunité OPP-000101 — Refonte ERP liée.") == 1


def test_step_two_shows_generation_and_solution_locked(client_for, partner_user, draft, opportunity):
    client = client_for(partner_user)
    post_step_one(client, draft, opportunity=opportunity.number)
    response = client.get(step_url(draft, "produit"))
    form = response.context["form"]
    assert form.locked_by_opportunity
    assert form.fields["generation"].disabled and form.fields["solution"].disabled
    assert "viennent de l'opportunité OPP-000101" in shown(response)
    # A forged POST with another solution keeps the opportunity's.
    other = catalog(Solution, "ONE_CRM")
    user_line = catalog(ProductReference, "ONE-ERP-USER")
    client.post(
        step_url(draft, "produit"),
        {"generation": other.generation_id, "solution": other.pk, f"qty_{user_line.pk}": 2, "action": "next"},
    )
    draft.refresh_from_db()
    assert draft.solution.code == "ONE_ERP"
    assert draft.lines.get().reference == user_line


def test_it_clears_only_the_lines_the_new_solution_does_not_offer(partner, partner_user):
    order = draft_with_product(
        partner=partner, user=partner_user, origin_code="OPPORTUNITY", generation_code="INFINITY_V10",
        solution_code="INFINITY", lines=(("INF-USER", 3), ("SETUP-DAY", 1)),
    )
    opportunity = OpportunityFactory(partner=partner)
    link = order_link_opportunity(order=order, user=partner_user, opportunity=opportunity)
    order.refresh_from_db()
    assert (order.generation.code, order.solution.code) == ("ONE", "ONE_ERP")
    # SETUP-DAY is offered for One ERP too: it stays; INF-USER goes, and the partner is told.
    assert [line.reference.code for line in order.lines.all()] == ["SETUP-DAY"]
    assert any("INF-USER" in sentence for sentence in link.cleared)
    assert not any("SETUP-DAY" in sentence for sentence in link.cleared)


def test_it_prefills_the_empty_new_site_fields_and_keeps_what_was_typed(partner, partner_user, draft):
    at_step_one(draft)
    draft.new_site_company_name = "Nom saisi par le partenaire"
    draft.new_site_city = ""
    draft.save()
    opportunity = OpportunityFactory(partner=partner, city="Colmar", postal_code="68000", phone="")
    link = order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    draft.refresh_from_db()
    assert draft.new_site_company_name == "Nom saisi par le partenaire"
    assert draft.new_site_city == "Colmar"
    assert draft.new_site_postal_code == "68000"
    assert draft.new_site_siret == opportunity.siret
    assert draft.new_site_address == opportunity.address
    assert draft.new_site_phone == ""  # nothing to take: the partner completes it
    assert "ville" in link.prefilled_site
    assert "raison sociale" not in link.prefilled_site


def test_it_takes_the_prospect_country_only_while_no_site_data_was_typed(partner, partner_user, draft):
    at_step_one(draft)
    belgian = OpportunityFactory(partner=partner, country="BE", postal_code="1000", city="Bruxelles")
    order_link_opportunity(order=draft, user=partner_user, opportunity=belgian)
    draft.refresh_from_db()
    assert draft.new_site_country == "BE"
    typed = at_step_one(OrderFactory(partner=partner, created_by=partner_user))
    typed.new_site_city = "Lyon"
    typed.save()
    order_link_opportunity(order=typed, user=partner_user, opportunity=belgian)
    typed.refresh_from_db()
    assert typed.new_site_country == "FR"


def test_it_prefills_the_main_contact_from_the_prospect_contact(partner, partner_user, draft, opportunity):
    at_step_one(draft)
    link = order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    draft.refresh_from_db()
    assert (draft.contact_civility, draft.contact_first_name, draft.contact_last_name) == ("mrs", "Claire", "DUVAL")
    assert draft.contact_function == "Directrice financière"
    assert draft.contact_email == "claire.duval@prospect.example"
    assert draft.contact_phone == "06 00 00 00 01"
    assert "prénom" in link.prefilled_contact


def test_it_never_overwrites_a_contact_the_partner_typed(partner, partner_user, draft, opportunity):
    at_step_one(draft)
    draft.contact_last_name = "Bernard"
    draft.contact_email = "bernard@client.example"
    draft.save()
    order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    draft.refresh_from_db()
    assert (draft.contact_first_name, draft.contact_last_name) == ("", "Bernard")
    assert draft.contact_email == "bernard@client.example"
    assert draft.contact_function == "Directrice financière"


def test_an_existing_site_order_takes_the_product_but_no_new_site_data(partner, partner_user, draft, opportunity):
    at_step_one(draft, origin="EXISTING_SITE", order_type="ADDITIONAL")
    order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    draft.refresh_from_db()
    assert draft.solution.code == "ONE_ERP"
    assert draft.new_site_company_name == ""
    assert draft.customer_name == ""


def test_linking_the_same_opportunity_twice_changes_nothing_more(partner, partner_user, draft, opportunity):
    at_step_one(draft)
    order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    draft.refresh_from_db()
    draft.new_site_city = "Ville corrigée"
    draft.save()
    link = order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    draft.refresh_from_db()
    assert draft.new_site_city == "Ville corrigée"
    assert link.prefilled_site == [] and link.cleared == []
    assert sum(opportunity.number in event.text for event in draft.events.all()) == 1


def test_an_opportunity_with_a_generation_only_leaves_the_solution_open(partner, partner_user, draft):
    at_step_one(draft)
    opportunity = OpportunityFactory(partner=partner, solution=None, generation=catalog(Generation, "ONE"))
    order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    draft.refresh_from_db()
    assert draft.generation.code == "ONE" and draft.solution is None
    assert not ProductForm(order=draft, user=partner_user).locked_by_opportunity


def test_it_refuses_a_product_the_order_type_does_not_allow(partner, partner_user, draft):
    at_step_one(draft)
    v7 = OpportunityFactory(partner=partner, solution=catalog(Solution, "INFINITY_V7_ADDITIONAL"))
    with pytest.raises(OrderError, match="n'est pas proposée pour ce type de commande"):
        order_link_opportunity(order=draft, user=partner_user, opportunity=v7)
    draft.refresh_from_db()
    assert draft.opportunity is None


# --- refusals ------------------------------------------------------------------------------------


def test_another_partners_opportunity_is_refused_as_if_it_did_not_exist(
    client_for, partner_user, draft, other_partner
):
    foreign = OpportunityFactory(partner=other_partner, number="OPP-999001")
    client = client_for(partner_user)
    refused = shown(post_step_one(client, draft, opportunity=foreign.number))
    unknown = shown(post_step_one(client, draft, opportunity="OPP-999002"))
    assert "Aucune opportunité de votre société ne porte le numéro « OPP-999001 »." in refused
    assert "Aucune opportunité de votre société ne porte le numéro « OPP-999002 »." in unknown
    assert foreign.name not in refused and foreign.company_name not in refused
    draft.refresh_from_db()
    assert draft.opportunity is None and draft.order_type is None


def test_the_service_refuses_another_partners_opportunity_too(partner_user, draft, other_partner):
    at_step_one(draft)
    with pytest.raises(OrderError, match="Aucune opportunité de votre société"):
        order_link_opportunity(order=draft, user=partner_user, opportunity=OpportunityFactory(partner=other_partner))


def test_a_lost_opportunity_is_refused(client_for, partner, partner_user, draft):
    lost = OpportunityFactory(partner=partner, number="OPP-000404", stage=OpportunityStage.LOST)
    response = post_step_one(client_for(partner_user), draft, opportunity=lost.number)
    assert "L'opportunité OPP-000404 est perdue : elle ne peut plus faire l'objet d'une commande." in shown(response)
    draft.refresh_from_db()
    assert draft.opportunity is None


def test_a_won_opportunity_may_be_ordered(client_for, partner, partner_user, draft):
    won = OpportunityFactory(partner=partner, stage=OpportunityStage.WON)
    assert post_step_one(client_for(partner_user), draft, opportunity=won.number).status_code == 302
    draft.refresh_from_db()
    assert draft.opportunity == won


def test_the_origin_opportunity_requires_one(client_for, partner_user, draft):
    response = post_step_one(client_for(partner_user), draft, opportunity="")
    assert "Choisissez l'opportunité de la commande" in shown(response)
    draft.refresh_from_db()
    assert draft.origin is None


def test_an_optional_opportunity_may_be_left_empty_or_removed(client_for, partner_user, draft, opportunity):
    client = client_for(partner_user)
    assert post_step_one(client, draft, origin="NEW_SITE", opportunity="").status_code == 302
    post_step_one(client, draft, origin="NEW_SITE", opportunity=opportunity.number)
    draft.refresh_from_db()
    assert draft.opportunity == opportunity
    response = post_step_one(client, draft, origin="NEW_SITE", opportunity="")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.opportunity is None
    # What it brought stays, now editable.
    assert draft.solution.code == "ONE_ERP"
    assert not ProductForm(order=draft, user=partner_user).locked_by_opportunity


def test_the_service_refuses_to_unlink_when_the_origin_requires_it(partner_user, draft, opportunity):
    at_step_one(draft)
    order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)
    with pytest.raises(OrderError, match="exige une opportunité"):
        order_unlink_opportunity(order=draft, user=partner_user)


def test_an_origin_without_opportunity_refuses_and_drops_it(partner_user, draft, opportunity):
    at_step_one(draft, origin="NEW_SITE")
    Origin.objects.filter(code="NEW_SITE").update(opportunity_rule="none")
    draft.refresh_from_db()
    with pytest.raises(OrderError, match="ne prend pas d'opportunité"):
        order_link_opportunity(order=draft, user=partner_user, opportunity=opportunity)


def test_an_opportunity_lost_after_linking_blocks_the_submission(client_for, partner_user, draft, opportunity):
    client = client_for(partner_user)
    post_step_one(client, draft, opportunity=opportunity.number)
    Opportunity.objects.filter(pk=opportunity.pk).update(stage=OpportunityStage.LOST)
    response = client.get(step_url(draft, "recapitulatif"), follow=True)
    # The dispatcher sends the partner back to step 1, which says why.
    assert response.redirect_chain[-1][0] == step_url(draft, "type")
    assert "L'opportunité OPP-000101 est perdue" in shown(response)
    draft.refresh_from_db()
    from orders.wizard import engine

    assert any("pas perdue" in lack for _step, lacks in engine.missing_for_submission(draft) for lack in lacks)


def test_a_refused_link_keeps_the_previous_type_and_origin(client_for, partner, partner_user, draft):
    at_step_one(draft, origin="NEW_SITE")
    v7 = OpportunityFactory(partner=partner, solution=catalog(Solution, "INFINITY_V7_ADDITIONAL"))
    response = post_step_one(client_for(partner_user), draft, opportunity=v7.number)
    assert response.status_code == 200
    assert "n'est pas proposée pour ce type de commande" in shown(response)
    draft.refresh_from_db()
    assert draft.origin.code == "NEW_SITE" and draft.opportunity is None


# --- warnings ------------------------------------------------------------------------------------


def test_it_warns_when_the_opportunity_is_already_on_another_live_order(
    client_for, partner, partner_user, draft, opportunity
):
    other = draft_with_product(partner=partner, user=partner_user, origin_code="OPPORTUNITY")
    other.opportunity = opportunity
    other.number = "CMD-2026-000042"
    other.status = OrderStatus.SUBMITTED
    other.save()
    client = client_for(partner_user)
    preview = client.get(
        reverse("order_wizard_fragment", args=[draft.public_id, "type", "origins"]),
        {
            "order_type": catalog(OrderType, "NEW_CUSTOMER").pk,
            "origin": catalog(Origin, "OPPORTUNITY").pk,
            "opportunity": opportunity.number,
        },
        HTTP_HX_REQUEST="true",
    )
    assert "déjà liée à une autre commande : CMD-2026-000042 (Soumise)" in shown(preview)
    # Non-blocking: the link is made, and the review page repeats the warning.
    assert post_step_one(client, draft, opportunity=opportunity.number).status_code == 302
    draft.refresh_from_db()
    assert draft.opportunity == opportunity
    # The review page's sections (whatever steps are still to fill) and the order page carry it.
    from orders.wizard import engine

    sections = engine.STEPS[-1].get_context(None, draft)["sections"]
    review_values = [str(value) for _state, pairs, _lacks in sections for _label, value in pairs]
    assert any("déjà liée à une autre commande : CMD-2026-000042" in value for value in review_values)
    detail = client.get(reverse("order_detail", args=[draft.public_id]))
    assert "déjà liée à une autre commande : CMD-2026-000042" in shown(detail)
    assert "opportunity-warning" in detail.content.decode()  # shown as a warning, not as a plain value


def test_a_cancelled_order_does_not_count_as_a_duplicate(client_for, partner, partner_user, draft, opportunity):
    cancelled = OrderFactory(partner=partner, created_by=partner_user, opportunity=opportunity)
    cancelled.status = OrderStatus.CANCELLED
    cancelled.save()
    client = client_for(partner_user)
    post_step_one(client, draft, opportunity=opportunity.number)
    response = client.get(step_url(draft, "type"))
    assert "déjà liée à une autre commande" not in shown(response)
    # A draft does count: it is described by its date, as it has no number yet.
    other_draft = OrderFactory(partner=partner, created_by=partner_user, opportunity=opportunity)
    response = client.get(step_url(draft, "type"))
    expected = localtime(other_draft.created_at).strftime("%d/%m/%Y")
    assert f"déjà liée à une autre commande : un brouillon du {expected}." in shown(response)


# --- step 1 fragment -----------------------------------------------------------------------------


def origins_fragment(client, order, origin, **extra):
    return client.get(
        reverse("order_wizard_fragment", args=[order.public_id, "type", "origins"]),
        {"order_type": catalog(OrderType, "NEW_CUSTOMER").pk, "origin": catalog(Origin, origin).pk, **extra},
        HTTP_HX_REQUEST="true",
    )


def test_the_opportunity_field_follows_the_origin(client_for, partner_user, draft):
    client = client_for(partner_user)
    required = shown(origins_fragment(client, draft, "OPPORTUNITY"))
    optional = shown(origins_fragment(client, draft, "NEW_SITE"))
    assert 'name="opportunity"' in required and 'aria-required="true"' in required
    assert 'name="opportunity"' in optional and "(facultative)" in optional
    assert f'data-browse-open="{reverse("opportunity_browse_linkable")}?mode=modal"' in required


def test_the_preview_describes_the_chosen_opportunity(client_for, partner_user, draft, opportunity, other_partner):
    client = client_for(partner_user)
    page = shown(origins_fragment(client, draft, "OPPORTUNITY", opportunity=opportunity.number))
    assert "OPP-000101 — Refonte ERP" in page
    assert "reprises de l'opportunité (non modifiables)" in page
    foreign = OpportunityFactory(partner=other_partner)
    page = shown(origins_fragment(client, draft, "OPPORTUNITY", opportunity=foreign.number))
    assert "Aucune opportunité de votre société" in page and foreign.name not in page


# --- list, popup and tenant isolation ------------------------------------------------------------

OPPORTUNITY_URLS = ["opportunity_list", "opportunity_browse_linkable"]


@pytest.mark.parametrize("url_name", OPPORTUNITY_URLS)
@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("partner_user", 200), ("partner_admin", 200), ("outsider", 200), ("sales_admin", 403),
     ("cloud_member", 403)],
)
def test_it_lets_only_partner_users_browse(request, client_for, url_name, role, status, opportunity):
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).get(reverse(url_name))
    assert response.status_code == status
    if role is None:
        assert response.url.startswith(reverse("login"))
    if role == "outsider":
        assert opportunity.number not in response.text
    if role in ("partner_user", "partner_admin"):
        assert opportunity.number in response.text


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("partner_user", 200), ("partner_admin", 200), ("outsider", 404), ("sales_admin", 403),
     ("cloud_member", 403)],
)
def test_the_detail_is_seen_only_by_its_partner(request, client_for, role, status, opportunity):
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).get(reverse("opportunity_detail", args=[opportunity.number]))
    assert response.status_code == status
    if status != 200:
        assert opportunity.company_name not in response.text


def test_the_detail_opens_as_a_popup_with_htmx(client_for, partner_user, opportunity):
    response = client_for(partner_user).get(
        reverse("opportunity_detail", args=[opportunity.number]), HTTP_HX_REQUEST="true"
    )
    page = shown(response)
    assert 'class="modal-header"' in page and "<html" not in page
    assert opportunity.company_name in page and "Mme Claire DUVAL" in page


def test_the_order_browse_never_offers_a_lost_opportunity(client_for, partner, partner_user):
    open_one = OpportunityFactory(partner=partner)
    won = OpportunityFactory(partner=partner, stage=OpportunityStage.WON)
    lost = OpportunityFactory(partner=partner, stage=OpportunityStage.LOST)
    client = client_for(partner_user)
    modal = client.get(reverse("opportunity_browse_linkable"), {"mode": "modal", "stage": "open"}).text
    assert open_one.number in modal and won.number not in modal and lost.number not in modal
    everything = client.get(reverse("opportunity_browse_linkable"), {"mode": "modal"}).text
    assert won.number in everything and lost.number not in everything
    forced = client.get(reverse("opportunity_browse_linkable"), {"mode": "modal", "stage": "lost"}).text
    assert lost.number not in forced
    # « Afficher toutes les opportunités »: the lost one, with its reason, not selectable.
    shown_all = client.get(reverse("opportunity_browse_linkable"), {"mode": "modal", "stage": "lost", "tout": "1"})
    row = re.search(rf'<tr [^>]*data-browse-value="{lost.number}".*?</tr>', shown_all.text, re.S).group(0)
    assert 'aria-disabled="true"' in row and "est perdue" in row
    assert lost.number in client.get(reverse("opportunity_list")).text


def test_the_list_filters_in_its_headers(client_for, partner, partner_user):
    OpportunityFactory(partner=partner, company_name="Fromagerie Joly", city="Besançon")
    OpportunityFactory(partner=partner, company_name="Garage Bernard", city="Lille")
    response = client_for(partner_user).get(reverse("opportunity_list"), {"company_name": "joly"})
    page = shown(response)
    assert "Fromagerie Joly" in page and "Garage Bernard" not in page


@pytest.mark.parametrize("url_name", OPPORTUNITY_URLS)
def test_the_list_costs_a_fixed_number_of_queries(
    client_for, partner, partner_user, url_name, django_assert_max_num_queries
):
    owner = UserFactory(partner=partner)
    OpportunityFactory.create_batch(2, partner=partner, owner=owner)
    client = client_for(partner_user)
    client.get(reverse(url_name))  # warm the session and the catalog caches
    with django_assert_max_num_queries(8) as few:
        client.get(reverse(url_name), {"mode": "modal"})
    OpportunityFactory.create_batch(
        23, partner=partner, owner=UserFactory(partner=partner), solution=catalog(Solution, "INFINITY")
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name), {"mode": "modal"})
    assert response.text.count('class="browse-row') == 25


# --- admin ---------------------------------------------------------------------------------------


def test_sales_admin_manages_opportunities_in_the_admin(
    client_for, sales_admin, partner, django_assert_max_num_queries
):
    OpportunityFactory.create_batch(3, partner=partner, owner=UserFactory(partner=partner))
    client = client_for(sales_admin)
    url = reverse("admin:opportunities_opportunity_changelist")
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    OpportunityFactory.create_batch(20, partner=partner, owner=UserFactory(partner=partner))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "Prospect"})
    assert response.status_code == 200
    assert client.get(reverse("admin:opportunities_opportunity_add")).status_code == 200


def test_the_cloud_team_has_no_opportunity_admin(client_for, cloud_member):
    assert client_for(cloud_member).get(reverse("admin:opportunities_opportunity_changelist")).status_code == 403


# --- import --------------------------------------------------------------------------------------

HEADER = (
    "number;partner;name;company_name;siret;postal_code;city;country;contact_name;contact_email;"
    "generation;solution;stage;estimated_amount;expected_close_date;owner"
)


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_the_import_creates_updates_and_reports_each_row(partner, other_partner, partner_user):
    siret = OpportunityFactory.build().siret
    text = csv_text(
        f"OPP-100001;OWN;Refonte;Biscuiterie Lemaire;{siret};44000;Nantes;FR;Claire Lemaire;c@l.example;"
        f"ONE;ONE_ERP;open;12 500,50;2027-01-15;{partner_user.email}",
        "OPP-100002;OWN;CRM;Cave des Coteaux;;71000;Mâcon;;M. Paul Renaud;;;ONE_CRM;Gagnée;;15/02/2027;",
        "OPP-100003;NOPE;X;Société X;;;;;;;;;;;;",
        "OPP-100004;OWN;X;Société Y;12345678901234;69003;Lyon;FR;;;;;;;;",
        "OPP-100005;OWN;X;Société Z;;69003;Lyon;FR;;;ONE;INFINITY;;;;",
        "OPP-100001;OWN;Doublon;Société D;;;;;;;;;;;;",
        f"OPP-100006;OTHER;X;Société W;;69003;Lyon;FR;;;;;;;;{partner_user.email}",
        "OPP-100007;OWN;X;Société V;;69003;Lyon;FR;;;;;lost;abc;;",
    )
    report = opportunity_import_csv(text=text)
    assert report.created == [(2, "OPP-100001"), (3, "OPP-100002")]
    refused = {number: reason for _line, number, reason in report.refused}
    assert "Partenaire inconnu : NOPE." in refused["OPP-100003"]
    assert "clé de contrôle" in refused["OPP-100004"]
    assert "n'appartient pas à la génération" in refused["OPP-100005"]
    assert (7, "OPP-100001", "Numéro d'opportunité en double dans le fichier.") in report.refused
    assert "utilisateur du partenaire" in refused["OPP-100006"]
    assert "Montant illisible" in refused["OPP-100007"]
    first = Opportunity.objects.get(number="OPP-100001")
    assert first.estimated_amount == Decimal("12500.50") and first.owner == partner_user
    second = Opportunity.objects.get(number="OPP-100002")
    assert second.stage == OpportunityStage.WON
    assert second.generation.code == "ONE"  # taken from the solution
    assert second.expected_close_date.isoformat() == "2027-02-15"
    assert second.country == "FR"


def test_the_import_is_idempotent_and_updates_by_number(partner):
    text = csv_text("OPP-100010;OWN;Refonte;Biscuiterie;;44000;Nantes;FR;;;ONE;ONE_ERP;open;1000;;")
    assert len(opportunity_import_csv(text=text).created) == 1
    again = opportunity_import_csv(text=text)
    assert again.unchanged == [(2, "OPP-100010")] and not again.created and not again.updated
    changed = opportunity_import_csv(text=text.replace(";open;", ";won;"))
    assert changed.updated == [(2, "OPP-100010")]
    assert Opportunity.objects.get(number="OPP-100010").stage == OpportunityStage.WON


def test_a_column_absent_from_the_file_keeps_its_value(partner):
    opportunity = OpportunityFactory(partner=partner, number="OPP-100020", contact_phone="06 11 22 33 44")
    text = "number;partner;name;company_name\nOPP-100020;OWN;Nouveau nom;" + opportunity.company_name + "\n"
    report = opportunity_import_csv(text=text)
    assert report.updated == [(2, "OPP-100020")]
    opportunity.refresh_from_db()
    assert opportunity.name == "Nouveau nom" and opportunity.contact_phone == "06 11 22 33 44"
    assert opportunity.solution.code == "ONE_ERP"


def test_the_import_never_moves_a_linked_opportunity_to_another_partner(partner, partner_user, other_partner):
    opportunity = OpportunityFactory(partner=partner, number="OPP-100030")
    OrderFactory(partner=partner, created_by=partner_user, opportunity=opportunity)
    text = f"number;partner;name;company_name\nOPP-100030;OTHER;{opportunity.name};{opportunity.company_name}\n"
    report = opportunity_import_csv(text=text)
    assert report.refused and "liée à des commandes" in report.refused[0][2]
    opportunity.refresh_from_db()
    assert opportunity.partner == partner


def test_the_import_command_prints_the_sites_import_report(tmp_path, partner):
    path = tmp_path / "opportunities.csv"
    path.write_text(
        csv_text(
            "OPP-100040;OWN;Refonte;Biscuiterie;;44000;Nantes;FR;;;;;;;;",
            "OPP-100041;NOPE;X;Société X;;;;;;;;;;;;",
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_opportunities", str(path), stdout=out)
    output = out.getvalue()
    assert "line 2: OPP-100040 created" in output
    assert "line 3: OPP-100041 refused: " in output
    assert "1 created, 0 updated, 0 unchanged, 1 refused" in output


def test_the_import_explains_missing_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("number;name\nOPP-1;X\n", encoding="utf-8")
    with pytest.raises(Exception, match="company_name, partner"):
        call_command("import_opportunities", str(path), stdout=io.StringIO())


# --- demo ----------------------------------------------------------------------------------------


def test_the_demo_seeds_each_partner_once(db):
    from mybusiness.demo import DEMO_PARTNER, OTHER_PARTNER
    from opportunities.demo import seed_demo
    from tests.factories import PartnerFactory

    demo = PartnerFactory(code=DEMO_PARTNER[0])
    other = PartnerFactory(code=OTHER_PARTNER[0])
    UserFactory(partner=demo)
    seed_demo(stdout=io.StringIO())
    count = Opportunity.objects.count()
    seed_demo(stdout=io.StringIO())
    assert Opportunity.objects.count() == count
    stages = set(Opportunity.objects.filter(partner=demo).values_list("stage", flat=True))
    assert stages == {"open", "won", "lost"}
    assert Opportunity.objects.filter(partner=other).exists()
    for opportunity in Opportunity.objects.select_related("solution", "generation"):
        opportunity.full_clean()  # valid SIRET, VAT, numbers, solution within its generation
    assert Order.objects.count() == 0 and OrderLine.objects.count() == 0
