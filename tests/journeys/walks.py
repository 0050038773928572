"""Stretches several journeys walk alike: the wizard's later steps, the back office's validation and activation.

Each takes the ``Journey`` and acts through it (counted), with ``journey.step`` on every page.
Labels go through ``journey.t`` (the interface's own translation in the journey's language).
"""

from __future__ import annotations

import datetime
import re

from tests.htmx import wait_for_htmx


def a_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Bon de commande signé par le client</p>").write_pdf()


def email_link(message) -> str:
    """The first link to the portal in an email's text."""
    from django.conf import settings

    match = re.search(re.escape(settings.SITE_URL) + r"/\S+", message.body)
    assert match, f"no link to {settings.SITE_URL} in « {message.subject} »"
    return match.group(0).rstrip(".,)»")


def field(page, label: str):
    """The field labelled ``label`` exactly, a required field's asterisk (or the back office's colon) aside."""
    return page.get_by_label(re.compile(rf"^\s*{js_escape(label)}\s*\*?\s*:?\s*$"))


def js_escape(text: str) -> str:
    """``re.escape`` for a pattern Playwright hands to JavaScript (which rejects Python's escaped spaces)."""
    return re.sub(r"([.*+?^${}()|\[\]\\/])", r"\\\1", text)


def next_step(journey, heading: str) -> None:
    """« Suivant », then the new step's heading is there and the step is checked."""
    t = journey.t
    journey.click(journey.page.get_by_role("button", name=t("Suivant")))
    journey.expect(journey.page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    journey.step(heading)


def product_step(journey, *, generation: str, solution: str, quantities: dict[str, str]) -> None:
    page, t = journey.page, journey.t
    journey.select(field(page, t("Génération")), label=generation)
    wait_for_htmx(page)
    journey.select(field(page, t("Solution")), label=solution)
    wait_for_htmx(page)
    for label, quantity in quantities.items():
        journey.fill(field(page, label), quantity)


def new_site_step(journey, *, customer: str) -> None:
    page, t = journey.page, journey.t
    journey.fill(field(page, t("Raison sociale")), customer)
    journey.fill(field(page, t("SIRET")), "59572398242428")  # a valid Luhn key
    journey.fill(field(page, t("Adresse")), "3 quai du Port")
    journey.fill(field(page, t("Code postal")), "13002")
    journey.fill(field(page, t("Ville")), "Marseille")
    journey.check(field(page, t("Cloud éditeur (SaaS)")))


def contact_step(journey, *, email: str) -> None:
    page, t = journey.page, journey.t
    journey.check(field(page, t("Madame")))
    journey.fill(field(page, t("Prénom")), "Inès")
    journey.fill(field(page, t("Nom")), "Garnier")
    journey.fill(field(page, t("E-mail")), email)
    journey.fill(field(page, t("Téléphone")), "04 72 10 20 30")


def delivery_step(journey, *, delivery: datetime.date, recipient: str) -> None:
    page, t = journey.page, journey.t
    journey.fill(field(page, t("Date de livraison souhaitée")), delivery.isoformat())
    journey.fill(field(page, t("Destinataire %(n)s") % {"n": 1}), recipient)


def documents_step(journey, *, pdf: bytes) -> None:
    page, t = journey.page, journey.t
    journey.upload(
        field(page, t("Choisissez des fichiers sur votre poste")),
        [{"name": "bon-de-commande.pdf", "mimeType": "application/pdf", "buffer": pdf}],
    )
    journey.click(page.get_by_role("button", name=t("Envoyer les fichiers")))
    journey.expect(page.get_by_role("link", name="bon-de-commande.pdf")).to_be_visible()
    journey.step("documents-uploaded")


def submit_from_review(journey) -> str:
    """On the review: « Soumettre »; returns the order's number read on the order page."""
    page, t = journey.page, journey.t
    journey.click(page.get_by_role("button", name=t("Soumettre")))
    heading = page.get_by_role("heading", level=1)
    journey.expect(heading).to_contain_text(re.compile(r"CMD-\d{4}-\d+"))
    journey.step("submitted")
    return re.search(r"CMD-\d{4}-\d+", heading.inner_text()).group(0)


def new_customer_order(journey, *, customer: str, recipient: str, delivery: datetime.date, pdf: bytes) -> str:
    """From the home page: a new customer on a new site, every step, submitted; returns the order's number."""
    page, t = journey.page, journey.t
    journey.click(page.get_by_role("link", name=t("Nouveau")))
    journey.expect(page.get_by_role("heading", name=t("Type et origine"))).to_be_visible()
    journey.step("type-origin")
    journey.check(field(page, journey.catalog("OrderType", "NEW_CUSTOMER")))
    journey.check(field(page, journey.catalog("Origin", "NEW_SITE")))
    next_step(journey, t("Produit et références"))
    product_step(
        journey, generation=journey.catalog("Generation", "ONE"), solution=journey.catalog("Solution", "ONE_ERP"),
        quantities={
            journey.catalog("ProductReference", "ONE-ERP-USER"): "5",
            journey.catalog("ProductReference", "SAAS-ENV"): "1",  # a SaaS customer's environment: the cloud's work
        },
    )
    journey.step("product-filled")
    next_step(journey, t("Site"))
    new_site_step(journey, customer=customer)
    next_step(journey, t("Interlocuteur et données complémentaires"))
    contact_step(journey, email=recipient)
    next_step(journey, t("Livraison du certificat"))
    delivery_step(journey, delivery=delivery, recipient=recipient)
    next_step(journey, t("Documents et informations"))
    documents_step(journey, pdf=pdf)
    next_step(journey, t("Récapitulatif"))
    return submit_from_review(journey)


# -- the back office -----------------------------------------------------------------------------


def _admin_home(journey, email: str):
    """The staff member's back office home, opened once (their first page) or reached by its header link."""
    if email in journey._people:
        page = journey.become(email)
        journey.click(page.locator("#site-name a"))
    else:
        page = journey.open(email, "/admin/")
    journey.step("back-office")
    return page


def validate_in_back_office(journey, email: str, number: str) -> None:
    """Sales administration: the orders list, the order, « Valider », confirmed."""
    page = _admin_home(journey, email)
    journey.click(page.locator("#content-main th[scope=row]").get_by_role("link", name="Commandes", exact=True))
    journey.step("back-office-orders")
    journey.click(page.get_by_role("link", name=number))
    journey.step("back-office-order")
    journey.click(page.get_by_role("link", name="Valider", exact=True))
    journey.step("back-office-validate")
    journey.click(page.locator("input[type=submit]"))
    journey.expect(page.locator(".messagelist")).to_be_visible()
    journey.step("back-office-validated")


def activate_in_back_office(journey, email: str, number: str, *, service_urls: dict[str, str] | None = None) -> None:
    """The cloud technician: the activations list, « Marquer comme activé » on the order's row, confirmed."""
    page = _admin_home(journey, email)
    journey.click(page.locator("#content-main th[scope=row]").get_by_role("link", name="Activations", exact=True))
    journey.step("back-office-activations")
    row = page.locator("#result_list tbody tr").filter(has_text=number)
    journey.click(row.get_by_role("link", name="Marquer comme activé"))
    journey.step("back-office-activate")
    for label, value in (service_urls or {}).items():
        journey.fill(field(page, label), value)
    journey.click(page.locator("input[type=submit]"))
    journey.expect(page.locator(".messagelist")).to_contain_text(number)
    journey.step("back-office-activated")
