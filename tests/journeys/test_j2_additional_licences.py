"""J2 — the clerk orders additional licences for an existing site.

The clerk browses the sites in the picker (header filters, the gear's column menu), opens a site's
popup, picks it, files a change request for that site from the step, comes back to the same step with
the same site, and submits. The picker shows by default only the sites the order can use.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from sites.models import SiteChangeRequest
from tests.journeys.conftest import PARTNER
from tests.journeys.walks import (
    a_pdf,
    contact_step,
    delivery_step,
    documents_step,
    field,
    next_step,
    product_step,
    submit_from_review,
    wait_for_htmx,
)

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo's sites on Infinity V10 / Divalto infinity, all active: the ones a licence order for it can use.
FITTING_SITES = 6
SITE, COMPANY = "C100008", "Imprimerie Rousseau"
RECIPIENT = "compta@imprimerie-rousseau.example"


def start_additional_licences(journey) -> None:
    """From the home page to the Site step of an additional-licences order for Divalto infinity."""
    page, t = journey.page, journey.t
    journey.click(page.get_by_role("link", name=t("Nouveau")))
    journey.expect(page.get_by_role("heading", name=t("Type et origine"))).to_be_visible()
    journey.step("type-origin")
    journey.check(field(page, journey.catalog("OrderType", "ADDITIONAL")))
    journey.check(field(page, journey.catalog("Origin", "EXISTING_SITE")))
    next_step(journey, t("Produit et références"))
    product_step(
        journey, generation=journey.catalog("Generation", "INFINITY_V10"),
        solution=journey.catalog("Solution", "INFINITY"),
        quantities={journey.catalog("ProductReference", "INF-USER"): "3"},
    )
    journey.step("product-filled")
    next_step(journey, t("Site"))


def test_j2_additional_licences_on_an_existing_site(journey_factory):
    journey = journey_factory("J2")
    page = journey.open(PARTNER)
    journey.step("home")
    start_additional_licences(journey)

    # The picker: only the sites this order can use, « Afficher tous les sites » for the rest.
    journey.click(page.get_by_role("button", name="Parcourir"))
    modal = page.locator("#browse-modal")
    journey.expect(modal).to_be_visible()
    wait_for_htmx(page)
    journey.step("browse-modal")
    journey.verify(
        "the picker shows only the sites the order can use",
        lambda: journey.expect(modal.locator("tr.browse-row")).to_have_count(FITTING_SITES),
    )
    journey.verify(
        "the picker offers « Afficher tous les sites »",
        lambda: journey.expect(modal.get_by_text("Afficher tous les sites")).to_be_visible(),
    )

    # Header filter, then the gear's column menu.
    journey.fill(modal.locator("#browse-sites-filter-company_name"), "impri")
    journey.expect(modal.locator("tr.browse-row")).to_have_count(1)
    journey.step("browse-filtered")
    journey.click(modal.locator("[data-browse-gear]"))
    journey.step("browse-gear-menu")
    journey.check(modal.get_by_role("checkbox", name="Ville"))  # already shown: a no-op unless hidden
    journey.click(modal.get_by_role("checkbox", name="Téléphone"))
    journey.click(modal.locator("[data-browse-columns-apply]"))
    wait_for_htmx(page)
    journey.step("browse-columns-changed")

    # The site's popup, closed with Escape: back in the list, on the same link.
    journey.click(modal.get_by_role("link", name=SITE))
    detail = page.locator("#browse-detail-modal")
    journey.expect(detail).to_be_visible()
    journey.expect(detail).to_contain_text(COMPANY)
    within = page.locator("#browse-detail-modal:focus-within")
    journey.verify("the popup takes the focus (rule 4)", lambda: journey.expect(within).to_have_count(1))
    journey.step("site-popup")
    journey.press("Escape")
    journey.expect(detail).to_be_hidden()
    journey.expect(modal.get_by_role("link", name=SITE)).to_be_focused()

    journey.click(modal.locator("tr.browse-row", has_text=COMPANY))
    journey.click(modal.get_by_role("button", name="Valider la sélection"))
    journey.expect(modal).to_be_hidden()
    card = page.get_by_test_id("selected-site")
    journey.expect(card).to_contain_text(COMPANY)
    journey.step("site-picked")

    # A side task from the step: a change request for the site on screen, then back to the same step.
    journey.click(card.get_by_role("button", name="Demande de changement des informations site"))
    journey.expect(page.locator("main")).to_contain_text(SITE)
    journey.step("change-request")
    journey.fill(field(page, "Téléphone"), "04 50 45 12 34")
    journey.click(page.get_by_role("button", name="Soumettre à validation"))
    dialog = page.locator("#confirm-change")
    journey.expect(dialog).to_be_visible()
    journey.step("change-request-confirm")
    journey.click(dialog.get_by_role("button", name="Valider"))
    page.wait_for_load_state()
    assert SiteChangeRequest.objects.filter(site__number=SITE).count() == 1, "the request is for the picked site"
    # The change request returns to the order's Site step, the picked site still there (rule 2).
    journey.expect(page).to_have_url(re.compile(r"/etapes/site/$"))
    journey.expect(field(page, "Numéro de site")).to_have_value(SITE)
    journey.step("site-step-again")

    next_step(journey, "Interlocuteur et données complémentaires")
    contact_step(journey, email=RECIPIENT)
    next_step(journey, "Livraison du certificat")
    delivery_step(journey, delivery=timezone.localdate() + datetime.timedelta(days=3), recipient=RECIPIENT)
    next_step(journey, "Documents et informations")
    documents_step(journey, pdf=a_pdf())
    next_step(journey, "Récapitulatif")
    journey.expect(page.get_by_text(COMPANY).first).to_be_visible()
    submit_from_review(journey)
    journey.finish()
