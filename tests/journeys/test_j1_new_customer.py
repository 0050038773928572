"""J1 — the clerk orders for a new customer on a new site; the certificate arrives on the requested date.

The clerk types the order, sales administration validates it in the back office, the cloud
technician activates it; the project's own periodic task issues the certificate on the date the
clerk asked for (not before), and the clerk follows the email's link to the order.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from certificates.tasks import issue_due_certificates
from tests.journeys.conftest import ADV, CLOUD, PARTNER
from tests.journeys.walks import (
    a_pdf,
    activate_in_back_office,
    email_link,
    new_customer_order,
    validate_in_back_office,
)

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUSTOMER = "Savonnerie Arnaud"
RECIPIENT = "ines.garnier@savonnerie.example"


def test_j1_new_customer_on_a_new_site_receives_the_certificate_on_the_requested_date(journey_factory):
    journey = journey_factory("J1")
    delivery = timezone.localdate() + datetime.timedelta(days=7)

    journey.open(PARTNER)
    journey.step("home")
    number = new_customer_order(journey, customer=CUSTOMER, recipient=RECIPIENT, delivery=delivery, pdf=a_pdf())

    validate_in_back_office(journey, ADV, number)
    activate_in_back_office(journey, CLOUD, number)

    # The scheduler runs the periodic task every day: nothing before the requested date...
    mail.outbox.clear()
    issue_due_certificates.delay()
    assert not [message for message in mail.outbox if RECIPIENT in message.to], "certificate sent before its date"
    # ...and on that date the certificate reaches its recipient, PDF attached.
    with time_machine.travel(datetime.datetime.combine(delivery, datetime.time(6, 0), timezone.get_current_timezone())):
        issue_due_certificates.delay()
    sent = [message for message in mail.outbox if RECIPIENT in message.to]
    assert len(sent) == 1, f"certificate emails to {RECIPIENT}: {[m.subject for m in mail.outbox]}"
    assert any(name.endswith(".pdf") for name, _content, _type in sent[0].attachments)

    # The clerk follows the email's link: the order shows its certificate.
    journey.become(PARTNER)
    journey.page.goto(email_link(sent[0]))
    journey.expect(journey.page.get_by_role("heading", name=f"Commande {number}")).to_be_visible()
    journey.expect(journey.page.get_by_role("link", name="Télécharger le PDF")).to_be_visible()
    journey.step("order-with-certificate")
    journey.finish()
