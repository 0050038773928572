"""J5 — the partner administrator, in English: J1 end to end, then invites a colleague and deactivates one.

Every page is checked for French words of the interface and of the catalog (rule 9).
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from certificates.tasks import issue_due_certificates
from mybusiness.models import User
from tests.journeys.conftest import ADV, CLOUD, PARTNER, PARTNER_ADMIN
from tests.journeys.walks import (
    a_pdf,
    activate_in_back_office,
    email_link,
    field,
    new_customer_order,
    validate_in_back_office,
)

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER = "Harbour Soap Works"
RECIPIENT = "it@harbour-soap.example"
COLLEAGUE = "new.clerk@demo.example"


def test_j5_partner_admin_in_english_orders_invites_and_deactivates(journey_factory):
    journey = journey_factory("J5")
    page = journey.open(PARTNER_ADMIN)
    journey.step("home-french")  # the first page, in the portal's default French
    journey.click(page.get_by_role("button", name="EN", exact=True))
    journey.language = "en"
    journey.expect(page.locator("html")).to_have_attribute("lang", "en")
    journey.step("home")
    t = journey.t

    # J1, in English.
    delivery = timezone.localdate() + datetime.timedelta(days=5)
    number = new_customer_order(journey, customer=CUSTOMER, recipient=RECIPIENT, delivery=delivery, pdf=a_pdf())
    validate_in_back_office(journey, ADV, number)
    activate_in_back_office(journey, CLOUD, number)
    with time_machine.travel(datetime.datetime.combine(delivery, datetime.time(6, 0), timezone.get_current_timezone())):
        issue_due_certificates.delay()
    sent = [message for message in mail.outbox if RECIPIENT in message.to]
    assert len(sent) == 1, f"certificate emails to {RECIPIENT}: {[m.subject for m in mail.outbox]}"
    journey.become(PARTNER_ADMIN)
    journey.page.goto(email_link(sent[0]))
    journey.expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    journey.step("order-with-certificate")

    # The company's users, from the user menu: invite a colleague.
    journey.click(page.get_by_role("button", name="Anne"))
    journey.click(page.get_by_role("link", name=t("Utilisateurs de ma société")))
    journey.expect(page.get_by_role("heading", level=1)).to_contain_text(t("Utilisateurs de ma société"))
    journey.step("company-users")
    journey.click(page.get_by_role("link", name=t("Inviter un utilisateur")))
    journey.step("invite")
    journey.fill(field(page, t("Adresse e-mail")), COLLEAGUE)
    journey.fill(field(page, t("Prénom")), "Nina")
    journey.fill(field(page, t("Nom")), "Clerk")
    journey.click(page.get_by_role("button", name=t("Envoyer l'invitation")))
    journey.expect(page.get_by_role("cell", name=COLLEAGUE)).to_be_visible()
    journey.step("invited")
    assert any(COLLEAGUE in message.to for message in mail.outbox), "no invitation email"

    # Deactivate the clerk who left (the browser asks to confirm).
    row = page.get_by_role("row").filter(has_text=PARTNER)
    journey.accept_next_dialog()
    journey.click(row.get_by_role("button", name=t("Désactiver")))
    journey.expect(row).to_contain_text(t("Désactivé"))
    journey.step("deactivated")
    assert not User.objects.get(email=PARTNER).is_active
    journey.finish()
