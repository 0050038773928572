"""J6 — J2 with the keyboard alone: the journey refuses every mouse call (``keyboard_only=True``).

Tab moves, Space and arrows choose, Enter goes forward; focus lands on each new step's heading,
modals keep it and give it back. Every key press counts.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from sites.models import SiteChangeRequest
from tests.htmx import wait_for_htmx
from tests.journeys.conftest import PARTNER
from tests.journeys.test_j2_additional_licences import COMPANY, RECIPIENT, SITE
from tests.journeys.walks import a_pdf, field

CONTACT_STEP = "Interlocuteur et données complémentaires"

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focus_on_heading(journey, name: str) -> None:
    """Rule 4: the new step's heading has the focus (or its error summary)."""
    page = journey.page
    journey.verify(
        f"the focus is on the heading « {name} »",
        lambda: journey.expect(page.locator("h2:focus, #error-summary:focus, [role=alert]:focus")).to_have_count(1),
    )


def go_forward(journey, heading: str) -> None:
    """Tab to « Suivant », Enter; the next step's heading shows, with the focus."""
    page = journey.page
    journey.tab_to(page.get_by_role("button", name="Suivant"))
    journey.press("Enter")
    journey.expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    journey.step(heading)
    focus_on_heading(journey, heading)


def choose(journey, select, label: str) -> None:
    """A closed list: arrow down until ``label`` is chosen."""
    for _ in range(15):
        if select.evaluate("el => el.selectedOptions[0] && el.selectedOptions[0].text.trim()") == label:
            return
        journey.press("ArrowDown")
    raise AssertionError(f"« {label} » never chosen with the arrows")


def test_j6_additional_licences_with_the_keyboard_alone(journey_factory):
    journey = journey_factory("J6", keyboard_only=True)
    page = journey.open(PARTNER)
    journey.step("home")
    with pytest.raises(AssertionError, match="keyboard only"):
        journey.click(page.get_by_role("link", name="Nouveau"))  # the harness refuses the mouse

    journey.tab_to(page.get_by_role("link", name="Nouveau"))
    journey.press("Enter")
    journey.expect(page.get_by_role("heading", name="Type et origine")).to_be_visible()
    journey.step("type-origin")
    focus_on_heading(journey, "Type et origine")

    # The order type: Tab into the radio group, arrows to « Commande additionnelle ».
    journey.tab_to(field(page, "Nouveau client"))
    journey.press("ArrowDown")
    journey.expect(field(page, "Commande additionnelle")).to_be_checked()
    wait_for_htmx(page)
    journey.tab_to(field(page, "Site existant"))
    journey.press("Space")
    journey.expect(field(page, "Site existant")).to_be_checked()
    journey.step("type-origin-chosen")
    # Rule 4: Enter goes forward.
    journey.press("Enter")
    journey.expect(page.get_by_role("heading", name="Produit et références")).to_be_visible()  # Enter went forward
    journey.step("Produit et références")
    focus_on_heading(journey, "Produit et références")

    journey.tab_to(field(page, "Génération"))
    choose(journey, field(page, "Génération"), "Infinity V10 - Weavy V5")
    wait_for_htmx(page)
    journey.tab_to(field(page, "Solution"))
    choose(journey, field(page, "Solution"), "Divalto infinity")
    wait_for_htmx(page)
    journey.tab_to(field(page, "Licence utilisateur Divalto infinity"))
    journey.type("3")
    journey.step("product-filled")
    journey.press("Enter")  # rule 4, issue 18 example 4: Enter in a quantity goes forward
    journey.expect(page.get_by_role("heading", name="Site", exact=True)).to_be_visible()  # Enter went forward
    journey.step("Site")
    focus_on_heading(journey, "Site")

    # The picker, by keyboard: open, filter, the gear's menu, the site's popup, choose, validate.
    journey.tab_to(page.get_by_role("button", name="Parcourir"))
    journey.press("Enter")
    modal = page.locator("#browse-modal")
    journey.expect(modal).to_be_visible()
    wait_for_htmx(page)
    journey.step("browse-modal")
    journey.tab_to(modal.locator("#browse-sites-filter-company_name"))
    journey.type("impri")
    journey.expect(modal.locator("tr.browse-row")).to_have_count(1)
    journey.step("browse-filtered")
    journey.tab_to(modal.locator("[data-browse-gear]"))
    journey.press("Enter")
    journey.tab_to(modal.get_by_role("checkbox", name="Téléphone"))
    journey.press("Space")
    journey.step("browse-gear-menu")
    journey.tab_to(modal.locator("[data-browse-columns-apply]"))
    journey.press("Enter")
    wait_for_htmx(page)
    journey.step("browse-columns-changed")
    journey.tab_to(modal.get_by_role("link", name=SITE))
    journey.press("Enter")
    detail = page.locator("#browse-detail-modal")
    journey.expect(detail).to_contain_text(COMPANY)
    within = page.locator("#browse-detail-modal:focus-within")
    journey.verify("the popup takes the focus (rule 4)", lambda: journey.expect(within).to_have_count(1))
    journey.step("site-popup")
    journey.press("Escape")
    journey.expect(detail).to_be_hidden()
    journey.expect(modal.get_by_role("link", name=SITE)).to_be_focused()
    journey.tab_to(modal.locator("tr.browse-row", has_text=COMPANY))
    journey.press("Space")
    journey.tab_to(modal.get_by_role("button", name="Valider la sélection"))
    journey.press("Enter")
    journey.expect(modal).to_be_hidden()
    card = page.get_by_test_id("selected-site")
    journey.expect(card).to_contain_text(COMPANY)
    journey.step("site-picked")

    # The change request for the site on screen, then back to the same step with the same site.
    journey.tab_to(card.get_by_role("button", name="Demande de changement des informations site"))
    journey.press("Enter")
    journey.expect(page.locator("main")).to_contain_text(SITE)
    journey.step("change-request")
    journey.tab_to(field(page, "Téléphone"))
    journey.press("Control+a")
    journey.type("04 50 45 12 34")
    journey.tab_to(page.get_by_role("button", name="Soumettre à validation"))
    journey.press("Enter")
    dialog = page.locator("#confirm-change")
    journey.expect(dialog).to_be_visible()
    journey.step("change-request-confirm")
    journey.tab_to(dialog.get_by_role("button", name="Valider"))
    before = page.url
    journey.press("Enter")
    page.wait_for_url(lambda url: url != before)
    assert SiteChangeRequest.objects.filter(site__number=SITE).count() == 1
    # Back on the order's Site step, with the same site (rule 2).
    journey.expect(page).to_have_url(re.compile(r"/etapes/site/$"))
    journey.expect(field(page, "Numéro de site")).to_have_value(SITE)
    journey.tab_to(field(page, "Numéro de site"))
    journey.step("site-step-again")
    journey.press("Enter")  # rule 4 again, from the site number
    journey.expect(page.get_by_role("heading", name=CONTACT_STEP)).to_be_visible()
    journey.step(CONTACT_STEP)
    focus_on_heading(journey, CONTACT_STEP)

    journey.tab_to(field(page, "Madame"))
    journey.press("Space")
    contact = (("Prénom", "Inès"), ("Nom", "Garnier"), ("E-mail", RECIPIENT), ("Téléphone", "04 72 10 20 30"))
    for label, value in contact:
        journey.tab_to(field(page, label))
        journey.type(value)
    go_forward(journey, "Livraison du certificat")
    delivery = timezone.localdate() + datetime.timedelta(days=3)
    journey.tab_to(field(page, "Date de livraison souhaitée"))
    # The date field's parts in the order headless Chromium lays them out (month first, whatever the locale).
    journey.type(delivery.strftime("%m%d%Y"))
    journey.expect(field(page, "Date de livraison souhaitée")).to_have_value(delivery.isoformat())
    journey.tab_to(field(page, "Destinataire 1"))
    journey.type(RECIPIENT)
    go_forward(journey, "Documents et informations")

    # The file dialog opens from the keyboard (Space on « Choisissez des fichiers »).
    files = field(page, "Choisissez des fichiers sur votre poste")
    journey.tab_to(files)
    with page.expect_file_chooser() as chooser:
        journey.press("Space")
    chooser.value.set_files([{"name": "bon-de-commande.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}])
    journey.tab_to(page.get_by_role("button", name="Envoyer les fichiers"))
    journey.press("Enter")
    journey.expect(page.get_by_role("link", name="bon-de-commande.pdf")).to_be_visible()
    journey.step("documents-uploaded")
    go_forward(journey, "Récapitulatif")
    journey.tab_to(page.get_by_role("button", name="Soumettre"))
    journey.press("Enter")
    journey.expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"CMD-\d{4}-\d+"))
    journey.step("submitted")
    journey.finish()
