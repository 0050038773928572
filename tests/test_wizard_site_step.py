"""Wizard step 3 « Site »: an existing site of the partner, or a new one checked against duplicates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Origin
from sites.models import SiteStatus
from tests.factories_orders import draft_with_product
from tests.factories_sites import SiteFactory
from tests.factories_steps import fill_steps_4_to_6

pytestmark = pytest.mark.django_db


def step_url(order) -> str:
    return reverse("order_wizard", args=[order.public_id, "site"])


@pytest.fixture
def existing_draft(partner, partner_user):
    return draft_with_product(
        partner=partner,
        user=partner_user,
        type_code="ADDITIONAL",
        origin_code="EXISTING_SITE",
        lines=(("ONE-ERP-USER", 2),),
        with_site=False,
    )


@pytest.fixture
def new_draft(partner, partner_user):
    return draft_with_product(
        partner=partner, user=partner_user, type_code="NEW_CUSTOMER", origin_code="NEW_SITE", with_site=False
    )


NEW_SITE = {
    "new_site_company_name": "Fromagerie des Alpes",
    "new_site_siret": "732 829 320 00074",
    "new_site_vat_number": "FR44732829320",
    "new_site_naf_code": "10.51c",
    "new_site_address": "3 place du Marché",
    "new_site_postal_code": "74000",
    "new_site_city": "Annecy",
    "new_site_country": "FR",
    "new_site_phone": "",
    "new_site_email": "",
    "new_site_hosting": "saas",
    "action": "next",
}


def test_an_existing_site_step_offers_browse_and_takes_a_typed_number(client_for, partner_user, existing_draft):
    site = SiteFactory(partner=existing_draft.partner, number="C654321", company_name="Garage Bernard")
    client = client_for(partner_user)
    page = client.get(step_url(existing_draft)).content.decode()
    picker = reverse("order_site_browse", kwargs={"public_id": existing_draft.public_id})
    assert f'data-browse-open="{picker}?mode=modal"' in page
    assert 'data-browse-target="#id_site_number"' in page
    response = client.post(step_url(existing_draft), {"site_number": " c654321 ", "action": "next"})
    assert response.status_code == 302
    existing_draft.refresh_from_db()
    assert existing_draft.site == site
    assert existing_draft.customer_name == "Garage Bernard"
    page = client.get(step_url(existing_draft)).content.decode()
    assert 'data-testid="selected-site"' in page  # shown read-only
    # The change request is a button of the step's form: the pick is saved before it opens.
    assert 'name="action" value="change_request"' in page


@pytest.mark.parametrize("kind", ["other_partner", "closed", "unknown"])
def test_it_refuses_a_site_that_is_not_the_partners_active_one(
    client_for, partner_user, existing_draft, kind, other_partner
):
    if kind == "other_partner":
        SiteFactory(partner=other_partner, number="C111111")
    elif kind == "closed":
        SiteFactory(partner=existing_draft.partner, number="C111111", status=SiteStatus.CLOSED)
    response = client_for(partner_user).post(step_url(existing_draft), {"site_number": "C111111", "action": "next"})
    assert response.status_code == 200
    if kind == "closed":
        # The partner's own closed site: said so, not « aucun site ».
        assert "Le site C111111 est fermé." in response.content.decode()
        assert "Aucun site actif" not in response.content.decode()
    else:
        assert "Aucun site actif de votre société ne porte le numéro C111111" in response.content.decode()
    existing_draft.refresh_from_db()
    assert existing_draft.site is None


def test_the_site_card_shows_only_the_partners_active_sites(client_for, partner_user, outsider, other_partner):
    SiteFactory(partner=partner_user.partner, number="C222222", company_name="Imprimerie Rousseau")
    SiteFactory(partner=other_partner, number="C333333", company_name="Secret Voisin")
    client = client_for(partner_user)
    url = reverse("site_card")
    assert "Imprimerie Rousseau" in client.get(url, {"site_number": "c222222"}).content.decode()
    body = client.get(url, {"site_number": "C333333"}).content.decode()
    assert "Secret Voisin" not in body and "Aucun site actif" in body
    SiteFactory(partner=partner_user.partner, number="C222223", status=SiteStatus.CLOSED)
    body = client.get(url, {"site_number": "C222223"}).content.decode()
    assert "Le site C222223 est fermé." in body and "Aucun site actif" not in body
    assert client_for(None).get(url).status_code == 302


def test_a_new_site_is_checked_saved_and_names_the_customer(client_for, partner_user, new_draft):
    client = client_for(partner_user)
    bad = client.post(
        step_url(new_draft), {**NEW_SITE, "new_site_siret": "73282932000075", "new_site_postal_code": "99999"}
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "clé de contrôle" in body and "département" in body
    response = client.post(step_url(new_draft), NEW_SITE)
    assert response.status_code == 302, response.context["form"].errors
    new_draft.refresh_from_db()
    assert new_draft.new_site_siret == "73282932000074"
    assert new_draft.new_site_naf_code == "1051C"
    assert new_draft.customer_name == "Fromagerie des Alpes"
    assert new_draft.site is None


def test_it_warns_of_a_duplicate_and_accepts_a_confirmed_new_site(client_for, partner_user, new_draft):
    SiteFactory(
        partner=new_draft.partner,
        number="C444444",
        company_name="FROMAGERIE  des alpes!",
        postal_code="74000",
        siret="",
    )
    other_company = {**NEW_SITE, "new_site_siret": "55210055400013", "new_site_vat_number": ""}
    client = client_for(partner_user)
    response = client.post(step_url(new_draft), other_company)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="duplicate-sites"' in body and "C444444" in body
    # « Nouveau client » allows no existing site: the partner is informed, not offered to switch.
    assert 'name="use_existing_site"' not in body
    assert "ne permet pas de commander pour un site existant" in body
    response = client.post(step_url(new_draft), {**other_company, "keep_new_site": "on"})
    assert response.status_code == 302
    new_draft.refresh_from_db()
    assert new_draft.new_site_siret == "55210055400013"


def test_a_duplicate_can_become_the_orders_existing_site_when_the_type_allows_it(client_for, partner, partner_user):
    order = draft_with_product(
        partner=partner, user=partner_user, type_code="INTERNAL", origin_code="NEW_SITE", with_site=False
    )
    site = SiteFactory(
        partner=partner, number="C444445", company_name="Fromagerie des Alpes", postal_code="74000", siret=""
    )
    client = client_for(partner_user)
    body = client.post(step_url(order), {**NEW_SITE, "new_site_vat_number": ""}).content.decode()
    assert 'name="use_existing_site" value="C444445"' in body
    response = client.post(step_url(order), {**NEW_SITE, "use_existing_site": "C444445"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.origin == Origin.objects.get(code="EXISTING_SITE")
    assert order.site == site
    assert order.customer_name == "Fromagerie des Alpes"
    assert order.new_site_company_name == ""
    # Another partner's site number cannot be slipped in.
    order.origin = Origin.objects.get(code="NEW_SITE")
    order.save()
    SiteFactory(number="C999998")
    response = client.post(step_url(order), {**NEW_SITE, "use_existing_site": "C999998"})
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.origin.code == "NEW_SITE"


def test_a_duplicate_by_siret_is_found_whatever_the_name(client_for, partner_user, new_draft, other_partner):
    SiteFactory(partner=other_partner, siret="73282932000074")  # another partner's site is not a duplicate
    assert client_for(partner_user).post(step_url(new_draft), NEW_SITE).status_code == 302
    SiteFactory(partner=new_draft.partner, number="C555555", company_name="Autre nom", siret="73282932000074")
    response = client_for(partner_user).post(step_url(new_draft), NEW_SITE)
    assert response.status_code == 200 and "C555555" in response.content.decode()


def test_the_review_shows_the_site_and_step_three_blocks_submission_until_answered(client_for, partner, partner_user):
    order = fill_steps_4_to_6(draft_with_product(partner=partner, user=partner_user, with_site=False))
    client = client_for(partner_user)
    review = client.get(reverse("order_wizard", args=[order.public_id, "recapitulatif"]))
    assert review.status_code == 302  # step 3 is incomplete: the dispatcher sends the user there
    assert review["Location"] == step_url(order)
    client.post(step_url(order), NEW_SITE)
    review = client.get(reverse("order_wizard", args=[order.public_id, "recapitulatif"]))
    assert review.status_code == 200  # every step is answered: the review opens
    body = review.content.decode()
    assert "Fromagerie des Alpes" in body and "73282932000074" in body


def test_a_change_request_from_the_step_saves_the_pick_first_and_comes_back(client_for, partner_user, existing_draft):
    """journeys.md rule 2: the side task is for the site on screen, and the step shows it again afterwards."""
    before = SiteFactory(partner=existing_draft.partner, number="C100001", company_name="Ancien site")
    picked = SiteFactory(partner=existing_draft.partner, number="C100002", company_name="Site choisi")
    existing_draft.site = before
    existing_draft.save()
    client = client_for(partner_user)
    response = client.post(step_url(existing_draft), {"site_number": "c100002", "action": "change_request"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("site_change_request", args=[picked.number]))
    assert "next=" in response.url
    existing_draft.refresh_from_db()
    assert existing_draft.site == picked
    # The request page returns to the step, which shows the picked site.
    page = client.get(response.url).content.decode()
    assert f'value="{step_url(existing_draft)}"' in page
    assert "C100002" in client.get(step_url(existing_draft)).content.decode()


def test_a_change_request_for_a_refused_site_stays_on_the_step(client_for, partner_user, existing_draft):
    SiteFactory(partner=existing_draft.partner, number="C100003", status=SiteStatus.CLOSED)
    response = client_for(partner_user).post(step_url(existing_draft), {"site_number": "C100003",
                                                                         "action": "change_request"})
    assert response.status_code == 200
    existing_draft.refresh_from_db()
    assert existing_draft.site is None


def test_picking_a_site_remembers_its_last_contact_and_recipients(client_for, partner_user, existing_draft):
    """journeys.md: the portal remembers what the partner already told it for that site."""
    from orders.models import Order

    site = SiteFactory(partner=existing_draft.partner, number="C100009")
    earlier = draft_with_product(partner=existing_draft.partner, user=partner_user, with_site=False)
    Order.objects.filter(pk=earlier.pk).update(
        site=site, contact_civility="mrs", contact_first_name="Inès", contact_last_name="Garnier",
        contact_email="ines@client.example", contact_phone="04 72 10 20 30",
        certificate_recipients=["ines@client.example", "dsi@client.example"],
    )
    client = client_for(partner_user)
    response = client.post(step_url(existing_draft), {"site_number": "C100009", "action": "next"}, follow=True)
    existing_draft.refresh_from_db()
    assert (existing_draft.contact_first_name, existing_draft.contact_email) == ("Inès", "ines@client.example")
    assert existing_draft.certificate_recipients == ["ines@client.example", "dsi@client.example"]
    assert "Repris de la dernière commande du site C100009" in response.content.decode()
