"""J4 — an OData connector: the clerk first gives a site that cannot take it, understands why, picks a fitting one.

Sales administration validates, the cloud technician activates with the service addresses, and the
certificate reaches every recipient the clerk named.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from certificates.tasks import issue_due_certificates
from tests.journeys.conftest import ADV, CLOUD, PARTNER
from tests.journeys.walks import (
    a_pdf,
    activate_in_back_office,
    contact_step,
    delivery_step,
    documents_step,
    field,
    next_step,
    product_step,
    submit_from_review,
    validate_in_back_office,
    wait_for_htmx,
)

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ON_PREMISE_SITE = "C100003"  # Menuiserie Durand & Fils: Divalto One ERP, hosted on premise
SITE, COMPANY = "C100010", "Laboratoires Morel"  # Divalto One ERP in SaaS
RECIPIENTS = ["it@laboratoires-morel.example", "daf@laboratoires-morel.example"]
PRODUCTION = "https://odata-c100010.cloud.divalto.example/prod"
RECETTE = "https://odata-c100010.cloud.divalto.example/recette"


def test_j4_odata_connector_from_a_refused_site_to_the_certificate(journey_factory):
    journey = journey_factory("J4")
    page = journey.open(PARTNER)
    t = journey.t
    journey.step("home")
    journey.click(page.get_by_role("link", name=t("Nouveau")))
    journey.expect(page.get_by_role("heading", name=t("Type et origine"))).to_be_visible()
    journey.step("type-origin")
    journey.check(field(page, journey.catalog("OrderType", "ADDITIONAL")))
    journey.check(field(page, journey.catalog("Origin", "EXISTING_SITE")))
    next_step(journey, t("Produit et références"))
    product_step(
        journey, generation=journey.catalog("Generation", "ONE"), solution=journey.catalog("Solution", "ONE_ERP"),
        quantities={journey.catalog("ProductReference", "SAAS IO ODATA"): "1"},
    )
    journey.step("product-filled")
    next_step(journey, t("Site"))

    # The clerk types the site they know: it is on premise. The refusal stays on this step, names both
    # answers and links to the step that can change the other one.
    journey.fill(field(page, "Numéro de site"), ON_PREMISE_SITE)
    wait_for_htmx(page)
    journey.click(page.get_by_role("button", name=t("Suivant")))
    page.wait_for_load_state()
    journey.step("site-refused")
    journey.verify(
        "the refusal stays on the Site step",
        lambda: journey.expect(page.get_by_role("heading", name=t("Site"), exact=True)).to_be_visible(),
    )
    summary = page.locator("#error-summary")
    journey.verify("the refusal is in the error summary", lambda: journey.expect(summary).to_be_visible())
    journey.verify("the refusal names the site", lambda: journey.expect(summary).to_contain_text(ON_PREMISE_SITE))
    journey.verify("the refusal names the connector", lambda: journey.expect(summary).to_contain_text("OData"))
    journey.verify(
        "the refusal links to the Product step",
        lambda: journey.expect(summary.get_by_role("link", name="Produit et références")).to_be_visible(),
    )

    # The picker: the on-premise site is not offered; « Afficher tous les sites » shows it, with its reason.
    journey.click(page.get_by_role("button", name="Parcourir"))
    modal = page.locator("#browse-modal")
    journey.expect(modal).to_be_visible()
    wait_for_htmx(page)
    journey.step("browse-modal")
    journey.verify(
        "the on-premise site is not offered by default",
        lambda: journey.expect(modal.locator("tr.browse-row", has_text=ON_PREMISE_SITE)).to_have_count(0),
    )
    show_all = modal.get_by_text("Afficher tous les sites")
    journey.verify("« Afficher tous les sites » is offered", lambda: journey.expect(show_all).to_be_visible())
    journey.click(show_all)
    wait_for_htmx(page)
    journey.step("browse-all-sites")
    refused = modal.locator("tr.browse-row", has_text=ON_PREMISE_SITE)
    journey.verify("the refused site says why", lambda: journey.expect(refused).to_contain_text("site"))
    journey.verify(
        "the refused site cannot be chosen",
        lambda: journey.expect(refused).to_have_attribute("aria-disabled", "true"),
    )
    journey.fill(modal.locator("#browse-sites-filter-company_name"), "labo")
    journey.expect(modal.locator("tr.browse-row")).to_have_count(1)
    journey.click(modal.locator("tr.browse-row", has_text=COMPANY))
    journey.click(modal.get_by_role("button", name="Valider la sélection"))
    journey.expect(modal).to_be_hidden()
    journey.expect(page.get_by_test_id("selected-site")).to_contain_text(COMPANY)
    journey.step("site-picked")
    next_step(journey, t("Interlocuteur et données complémentaires"))
    contact_step(journey, email=RECIPIENTS[0])
    next_step(journey, t("Livraison du certificat"))
    delivery_step(journey, delivery=timezone.localdate(), recipient=RECIPIENTS[0])
    journey.click(page.get_by_role("button", name=t("Ajouter un destinataire")))
    journey.fill(field(page, t("Destinataire %(n)s") % {"n": 2}), RECIPIENTS[1])
    journey.step("two-recipients")
    next_step(journey, t("Documents et informations"))
    documents_step(journey, pdf=a_pdf())
    next_step(journey, t("Récapitulatif"))
    number = submit_from_review(journey)

    validate_in_back_office(journey, ADV, number)
    activate_in_back_office(
        journey, CLOUD, number,
        service_urls={
            "Adresse du service OData — Production": PRODUCTION,
            "Adresse du service OData — Recette": RECETTE,
        },
    )

    # The periodic task: the requested date is today, so the certificate goes out on its next run.
    mail.outbox.clear()
    issue_due_certificates.delay()
    sent = [message for message in mail.outbox if set(RECIPIENTS) <= set(message.to)]
    assert len(sent) == 1, f"certificate emails: {[(m.subject, m.to) for m in mail.outbox]}"
    assert any(name.endswith(".pdf") for name, _content, _type in sent[0].attachments)
    journey.finish()
