"""The demo's data: what a newcomer walking J1–J8 finds (``manage.py seed_demo``), seeded twice alike."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from mybusiness.demo import OTHER_PARTNER
from orders.demo import DEMO_QUEUE
from orders.models import Order, OrderStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_queue_of_orders_of_several_ages_one_resubmitted_and_seeds_once():
    call_command("seed_demo", stdout=io.StringIO())
    count = Order.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Order.objects.count() == count

    queue = Order.objects.filter(partner__code=OTHER_PARTNER[0], customer_name__in=[row[0] for row in DEMO_QUEUE])
    assert {order.status for order in queue} == {OrderStatus.SUBMITTED}
    ages = sorted((timezone.now() - order.submitted_at).days for order in queue)
    assert ages == sorted(row[2] for row in DEMO_QUEUE)
    resubmitted = queue.get(customer_name="Pharmacie Schmitt")
    assert list(resubmitted.events.exclude(to_status="").values_list("to_status", flat=True)) == [
        "draft", "submitted", "returned", "submitted"
    ]
    assert resubmitted.lines.get(reference__code="ONE-ERP-USER").quantity == 8
    # The timeline moved back with the submission: no event in the future of another.
    assert resubmitted.events.order_by("-created_at").first().created_at <= timezone.now() - datetime.timedelta(days=4)


def test_the_demo_has_a_year_of_past_orders_through_every_stage():
    import pypdf

    from certificates.demo_history import QUOTE_PREFIX
    from certificates.models import Certificate

    call_command("seed_demo", stdout=io.StringIO())
    history = Order.objects.filter(quote_number__startswith=QUOTE_PREFIX)
    assert history.count() > 60
    assert {order.partner.code for order in history} == {OTHER_PARTNER[0]}
    assert set(history.values_list("status", flat=True)) == {OrderStatus.COMPLETED, OrderStatus.REJECTED}
    oldest = min(history.values_list("submitted_at", flat=True))
    assert timezone.now() - oldest > datetime.timedelta(days=300)
    for order in history.filter(activation__isnull=False)[:10]:
        dates = dict(order.events.values_list("to_status", "created_at"))
        assert dates["submitted"] < dates["validated"] == order.activation.created_at < order.activation.done_at
        assert order.activation.done_at == dates["activated"] < dates["completed"]
    certificate = Certificate.objects.filter(order__in=history).first()
    text = pypdf.PdfReader(certificate.pdf.open("rb")).pages[0].extract_text()
    assert certificate.number in text
