"""J7 — sales administration returns an order with a reason; the clerk corrects it; ADV sees what changed.

The reason shows on every step the clerk walks through, the header says the order is being
corrected; the corrected order comes back and ADV validates it.
"""

from __future__ import annotations

import re

import pytest

from mybusiness.demo import DEMO_PARTNER
from orders.models import Order, OrderStatus
from tests.htmx import wait_for_htmx
from tests.journeys.conftest import ADV, PARTNER
from tests.journeys.walks import _admin_home, field, next_step

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER = "Menuiserie Lefèvre"  # the demo's order waiting for validation
REASON = "Le client a signé pour 15 licences, pas 12 : corrigez la quantité."
CORRECTING = re.compile("correction", re.IGNORECASE)
STEPS = [
    "Type et origine", "Produit et références", "Site", "Interlocuteur et données complémentaires",
    "Livraison du certificat", "Documents et informations",
]


def test_j7_a_returned_order_is_corrected_and_validated(journey_factory):
    journey = journey_factory("J7")
    order = Order.objects.get(customer_name=CUSTOMER, status=OrderStatus.SUBMITTED, partner__code=DEMO_PARTNER[0])

    # ADV returns the order with the reason.
    page = _admin_home(journey, ADV)
    journey.click(page.locator("#content-main th[scope=row]").get_by_role("link", name="Commandes", exact=True))
    journey.step("back-office-orders")
    journey.click(page.get_by_role("link", name=order.number))
    journey.step("back-office-order")
    journey.click(page.get_by_role("link", name="Renvoyer au partenaire pour correction"))
    journey.step("back-office-return")
    journey.fill(page.get_by_label("Ce que le partenaire doit corriger"), REASON)
    journey.click(page.locator("input[type=submit]"))
    journey.expect(page.locator(".messagelist")).to_contain_text("renvoyée")
    journey.step("back-office-returned")

    # The clerk: from the home page to the returned order, then « Corriger la commande ».
    page = journey.open(PARTNER)
    journey.step("home")
    journey.click(page.get_by_role("link", name="Renvoyées pour correction"))
    journey.step("returned-orders")
    journey.click(page.get_by_role("link", name=order.number).first)
    journey.expect(page.get_by_text(REASON).first).to_be_visible()
    journey.step("returned-order")
    journey.click(page.get_by_role("link", name="Corriger la commande"))

    for index, name in enumerate(STEPS):
        journey.expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
        journey.step(f"correcting-{name}")
        journey.verify(
            f"the reason shows on the step « {name} »", lambda: journey.expect(page.get_by_text(REASON)).to_be_visible()
        )
        journey.verify(
            f"the header of « {name} » says the order is being corrected",
            lambda: journey.expect(page.get_by_role("heading", level=1)).to_contain_text(CORRECTING),
        )
        if name == "Produit et références":
            wait_for_htmx(page)
            journey.fill(field(page, "Licence utilisateur Divalto infinity"), "15")
        if index < len(STEPS) - 1:
            journey.click(page.get_by_role("button", name="Suivant"))
    next_step(journey, "Récapitulatif")
    journey.verify("the review shows the reason", lambda: journey.expect(page.get_by_text(REASON)).to_be_visible())
    journey.click(page.get_by_role("button", name="Soumettre"))
    journey.expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
    journey.step("resubmitted")
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.lines.get(reference__code="INF-USER").quantity == 15

    # ADV: the order again, what changed since the return, validated.
    page = _admin_home(journey, ADV)
    journey.click(page.locator("#content-main th[scope=row]").get_by_role("link", name="Commandes", exact=True))
    journey.step("back-office-orders-again")
    journey.click(page.get_by_role("link", name=order.number))
    journey.step("back-office-order-corrected")
    journey.verify(
        "ADV sees what changed since the return (the quantity, 12 → 15)",
        lambda: journey.expect(page.locator("main").get_by_text(re.compile(r"12\s*(→|->)\s*15")).first).to_be_visible(),
    )
    journey.click(page.get_by_role("link", name="Valider", exact=True))
    journey.click(page.locator("input[type=submit]"))
    journey.expect(page.locator(".messagelist")).to_contain_text("validée")
    journey.step("back-office-validated")
    order.refresh_from_db()
    assert order.status == OrderStatus.VALIDATED
    journey.finish()
