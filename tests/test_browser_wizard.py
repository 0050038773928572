"""The wizard in a real Chromium: dependent choices through htmx, review and submission."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Order, OrderStatus
from tests.factories_orders import _answer_site_step
from tests.factories_steps import fill_steps_4_to_6
from tests.htmx import wait_for_htmx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_goes_through_type_product_and_review(live_server, page, login_as, partner_user):
    login_as(page, live_server, partner_user)
    page.get_by_role("link", name="Nouveau").click()
    expect(page.get_by_role("heading", name="Type et origine")).to_be_visible()

    # The origins follow the type (htmx swaps them in without a reload).
    page.get_by_label("Commande additionnelle").check()
    expect(page.get_by_label("Site existant")).to_be_visible()
    expect(page.get_by_label("Nouveau site")).to_have_count(0)
    page.get_by_label("Nouveau client").check()
    expect(page.get_by_label("Nouveau site")).to_be_visible()
    page.get_by_label("Nouveau site").check()
    page.get_by_role("button", name="Suivant").click()

    # The solutions follow the generation, the references follow the solution.
    expect(page.get_by_role("heading", name="Produit et références")).to_be_visible()
    page.get_by_label("Génération").select_option(label="One")
    expect(page.locator("#id_solution option", has_text="Divalto One CRM")).to_have_count(1)
    expect(page.locator("#id_solution option", has_text="Divalto infinity")).to_have_count(0)
    wait_for_htmx(page)  # the swapped-in solution select listens only once htmx has settled it
    page.get_by_label("Solution").select_option(label="Divalto One CRM")
    quantity = page.get_by_label("Licence utilisateur Divalto One CRM")
    expect(quantity).to_be_visible()
    expect(page.get_by_text("SAAS IO ODATA", exact=True)).to_have_count(0)
    quantity.fill("4")
    page.get_by_role("button", name="Suivant").click()

    # A later step cannot be reached by URL before the earlier ones are complete.
    expect(page.get_by_role("heading", name="Site", exact=True)).to_be_visible()
    order = Order.objects.get(partner=partner_user.partner)
    assert [(line.reference.code, line.quantity) for line in order.lines.all()] == [("ONE-CRM-USER", 4)]
    review_url = f"{live_server.url}/commandes/{order.public_id}/etapes/recapitulatif/"
    page.goto(review_url)
    expect(page).to_have_url(re.compile(r"/etapes/site/$"))

    # Steps 3 to 6 have browser tests of their own: answer them directly here.
    _answer_site_step(order)
    order.save()
    fill_steps_4_to_6(order, user=partner_user)
    page.goto(review_url)
    expect(page.get_by_role("heading", name="Récapitulatif")).to_be_visible()
    expect(page.get_by_text("Divalto One CRM").first).to_be_visible()
    expect(page.get_by_text("Avant de soumettre, complétez")).to_have_count(0)

    page.get_by_role("button", name="Soumettre").click()
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    expect(page.get_by_role("heading", name=re.compile(order.number))).to_be_visible()
    expect(page.get_by_text("Commande soumise.").first).to_be_visible()


def test_the_error_summary_follows_corrections_made_in_place(live_server, page, login_as, partner_user):
    """journeys.md rule 6: a field reloaded by htmx takes its item away; the count follows; an empty
    summary goes (issue 18, example 5)."""
    login_as(page, live_server, partner_user)
    page.get_by_role("link", name="Nouveau").click()
    page.get_by_role("button", name="Suivant").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("2 réponses à corriger")
    expect(summary.locator("li")).to_have_count(2)
    page.get_by_label("Nouveau client").check()  # the origins reload in place
    wait_for_htmx(page)
    expect(summary).to_have_count(0)  # the type chosen, the origins new: nothing left to correct here
    page.get_by_label("Nouveau site").check()
    wait_for_htmx(page)
    page.get_by_role("button", name="Suivant").click()

    expect(page.get_by_role("heading", name="Produit et références")).to_be_visible()
    page.get_by_role("button", name="Suivant").click()
    expect(summary.locator("li")).to_have_count(2)  # the generation, the solution
    expect(summary).to_contain_text("2 réponses à corriger")
    page.get_by_label("Génération").select_option(label="One")
    wait_for_htmx(page)
    # Both fields came back reloaded, judged again only when the step is sent.
    expect(summary).to_have_count(0)
