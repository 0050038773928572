"""Starting an order from an opportunity in a real Chromium: the browse modal, the lock, the pre-fill."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from opportunities.models import OpportunityStage
from orders.models import Order
from tests.factories import UserFactory
from tests.factories_opportunities import OpportunityFactory
from tests.factories_orders import OrderFactory

# The catalog erased by earlier transactional tests is put back by tests/conftest.py.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_user(transactional_db):
    user = UserFactory(email="browser-opps@own.example")
    OpportunityFactory.create_batch(3, partner=user.partner)
    OpportunityFactory(
        partner=user.partner, number="OPP-777001", name="Refonte de la gestion", company_name="Fromagerie Joly",
        city="Besançon", postal_code="25000", contact_name="JOLY Antoine", phone="",
    )
    OpportunityFactory(
        partner=user.partner, number="OPP-777002", company_name="Joly Perdu", stage=OpportunityStage.LOST
    )
    OpportunityFactory(number="OPP-777003", company_name="Joly d'un autre partenaire")
    return user


def test_it_starts_an_order_from_an_opportunity_chosen_in_the_modal(live_server, logged_in_page, browser_user):
    draft = OrderFactory(partner=browser_user.partner, created_by=browser_user)
    page = logged_in_page(browser_user, next_path=f"/commandes/{draft.public_id}/etapes/type/")
    page.get_by_label("Nouveau client").check()
    page.get_by_label("Opportunité", exact=True).check()
    field = page.locator("#id_opportunity")
    expect(field).to_be_visible()

    page.get_by_role("button", name="Parcourir").click()
    modal = page.locator("#browse-modal")
    expect(modal).to_be_visible()
    # Open ones of the partner only: the three of the batch and OPP-777001.
    expect(modal.locator("tr.browse-row")).to_have_count(4)
    modal.locator("#browse-opportunities-filter-company_name").fill("joly")
    expect(modal.locator("tr.browse-row")).to_have_count(1)
    # The lost one only with « Afficher toutes les opportunités », its reason beside it, never chosen.
    expect(modal.locator("tr.browse-row", has_text="Joly Perdu")).to_have_count(0)
    modal.get_by_role("checkbox", name="Afficher toutes les opportunités").check()
    lost = modal.locator("tr.browse-row", has_text="Joly Perdu")
    expect(lost).to_contain_text("L'opportunité OPP-777002 est perdue")
    expect(lost).to_be_disabled()
    modal.get_by_role("checkbox", name="Afficher toutes les opportunités").uncheck()
    expect(modal.locator("tr.browse-row")).to_have_count(1)
    expect(modal).not_to_contain_text("autre partenaire")
    modal.locator("tr.browse-row", has_text="OPP-777001").click()
    expect(modal.locator("tr.browse-row", has_text="OPP-777001")).to_have_attribute("aria-selected", "true")
    modal.get_by_role("button", name="Valider la sélection").click()
    expect(modal).to_be_hidden()

    expect(field).to_have_value("OPP-777001")
    preview = page.locator("#opportunity-preview")
    expect(preview).to_contain_text("OPP-777001 — Refonte de la gestion")
    expect(preview).to_contain_text("« One » et solution « Divalto One ERP »")

    page.get_by_role("button", name="Suivant").click()
    page.wait_for_url(re.compile(r"/etapes/produit/$"))
    expect(page.locator("#id_generation")).to_be_disabled()
    expect(page.locator("#id_solution")).to_be_disabled()
    expect(page.locator("#id_generation option:checked")).to_have_text("One")
    expect(page.locator("#id_solution option:checked")).to_have_text("Divalto One ERP")
    expect(page.locator(".alert-info", has_text="viennent de l'opportunité OPP-777001")).to_be_visible()
    expect(page.locator(".alert", has_text="Repris de l'opportunité OPP-777001")).to_contain_text("ville")

    # Step 3: the new site's data come pre-filled from the prospect, editable; the partner completes the rest.
    page.locator("input[name^=qty_]").first.fill("2")
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_url(re.compile(r"/etapes/site/$"))
    company = page.locator("#id_new_site_company_name")
    expect(company).to_have_value("Fromagerie Joly")
    expect(company).to_be_editable()
    expect(page.locator("#id_new_site_city")).to_have_value("Besançon")
    expect(page.locator("#id_new_site_postal_code")).to_have_value("25000")
    expect(page.locator("#id_new_site_phone")).to_have_value("")

    order = Order.objects.get(pk=draft.pk)
    assert order.opportunity.number == "OPP-777001"
    assert (order.new_site_company_name, order.new_site_city, order.new_site_postal_code) == (
        "Fromagerie Joly", "Besançon", "25000"
    )
    assert order.new_site_siret == order.opportunity.siret
    assert order.new_site_phone == ""  # the prospect had none: the partner completes it in step 3
    assert (order.contact_first_name, order.contact_last_name) == ("Antoine", "JOLY")
