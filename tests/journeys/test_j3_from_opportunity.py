"""J3 — the clerk orders from an opportunity: generation and solution taken, the prospect's data pre-filled."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.journeys.conftest import PARTNER
from tests.journeys.walks import (
    a_pdf,
    delivery_step,
    documents_step,
    field,
    next_step,
    submit_from_review,
    wait_for_htmx,
)

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo partner's opportunities an order can follow (seed_demo: twelve prospects, nine open, two won, one
# lost): open and won ones (an order usually follows the signature); the lost one only under « Afficher tout ».
LINKABLE_OPPORTUNITIES = 11
OPPORTUNITY, PROSPECT = "OPP-240001", "Biscuiterie Lemaire"


def test_j3_order_from_an_opportunity(journey_factory):
    journey = journey_factory("J3")
    page = journey.open(PARTNER)
    t = journey.t
    journey.step("home")
    journey.click(page.get_by_role("link", name=t("Nouveau")))
    journey.expect(page.get_by_role("heading", name=t("Type et origine"))).to_be_visible()
    journey.step("type-origin")
    journey.check(field(page, journey.catalog("OrderType", "NEW_CUSTOMER")))
    journey.check(field(page, journey.catalog("Origin", "OPPORTUNITY")))
    journey.expect(page.locator("#id_opportunity")).to_be_visible()
    journey.step("type-origin-opportunity")

    # The picker: the partner's opportunities an order can follow, only.
    journey.click(page.get_by_role("button", name="Parcourir"))
    modal = page.locator("#browse-modal")
    journey.expect(modal).to_be_visible()
    wait_for_htmx(page)
    journey.step("browse-opportunities")
    journey.verify(
        "the picker shows the opportunities the order can follow only",
        lambda: journey.expect(modal.locator("tr.browse-row")).to_have_count(LINKABLE_OPPORTUNITIES),
    )
    journey.fill(modal.locator("#browse-opportunities-filter-company_name"), "biscui")
    journey.expect(modal.locator("tr.browse-row")).to_have_count(1)
    journey.click(modal.locator("tr.browse-row", has_text=OPPORTUNITY))
    journey.click(modal.get_by_role("button", name="Valider la sélection"))
    journey.expect(modal).to_be_hidden()
    journey.expect(page.locator("#opportunity-preview")).to_contain_text(OPPORTUNITY)
    journey.step("opportunity-picked")

    # Product: generation and solution come from the opportunity; the clerk gives the quantities.
    next_step(journey, t("Produit et références"))
    journey.expect(page.locator("#id_generation option:checked")).to_have_text(journey.catalog("Generation", "ONE"))
    journey.expect(page.locator("#id_solution option:checked")).to_have_text(journey.catalog("Solution", "ONE_ERP"))
    journey.fill(field(page, journey.catalog("ProductReference", "ONE-ERP-USER")), "4")
    journey.fill(field(page, journey.catalog("ProductReference", "SAAS-ENV")), "1")
    journey.step("product-filled")

    # Site: the prospect's company pre-filled; the clerk chooses the hosting.
    next_step(journey, t("Site"))
    journey.expect(field(page, t("Raison sociale"))).to_have_value(PROSPECT)
    journey.expect(field(page, t("Ville"))).to_have_value("Nantes")
    journey.verify(
        "the prospect's SIRET is pre-filled",
        lambda: journey.expect(field(page, t("SIRET"))).not_to_have_value(""),
    )
    journey.check(field(page, t("Cloud éditeur (SaaS)")))
    journey.step("site-filled")

    # Contact: the prospect's contact pre-filled; the clerk adds the civility.
    next_step(journey, t("Interlocuteur et données complémentaires"))
    journey.expect(field(page, t("Prénom"))).to_have_value("Claire")
    journey.expect(field(page, t("Nom"))).to_have_value("Lemaire")
    journey.expect(field(page, t("E-mail"))).to_have_value("lemaire@biscuiterie.example")
    journey.check(field(page, t("Madame")))
    journey.step("contact-filled")

    next_step(journey, t("Livraison du certificat"))
    delivery_step(
        journey, delivery=timezone.localdate() + datetime.timedelta(days=14), recipient="lemaire@biscuiterie.example"
    )
    next_step(journey, t("Documents et informations"))
    documents_step(journey, pdf=a_pdf())
    next_step(journey, t("Récapitulatif"))
    journey.expect(page.get_by_text(OPPORTUNITY).first).to_be_visible()
    submit_from_review(journey)
    journey.finish()
