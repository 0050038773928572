"""An OData activation order placed through the API alone, then validated, activated and certified
(issue 21's « done when »)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from catalog.models import Solution
from certificates.services import certificates_issue_due
from orders.models import Activation, Order, OrderStatus
from orders.services.activation import activation_mark_done
from orders.services.review import order_validate
from tests.api import API, ApiClient, api_key
from tests.factories import PartnerAdminFactory
from tests.factories_backoffice import eager_celery  # noqa: F401 — a fixture
from tests.factories_certs import CertSiteFactory
from tests.factories_orders import catalog
from tests.factories_steps import PDF_BYTES
from tests.webhook_receiver import start_receiver
from webhooks.models import WebhookEvent
from webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(partner):
    return PartnerAdminFactory(partner=partner)


@pytest.fixture
def erp(admin):
    return ApiClient(api_key(admin))


@pytest.fixture
def erp_hooks(admin):
    """The partner's ERP listening for every event on a real HTTP server."""
    receiver, server = start_receiver()
    endpoint = endpoint_create(admin=admin, url=receiver.url, description="ERP", events=WebhookEvent.values)
    yield receiver, endpoint
    server.shutdown()


@pytest.fixture
def cloud_site(partner):
    return CertSiteFactory(partner=partner, number="C777901", solution=catalog(Solution, "ONE_ERP_CRM"))


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


@pytest.mark.usefixtures("eager_celery")  # the hand-off at once, as in the demo (the worker: services tests)
def test_an_odata_order_goes_from_the_api_to_its_certificate(
    erp, erp_hooks, cloud_site, sales_admin, cloud_member, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    created = ok(erp.send("post", "/orders", {"order_type": "ADDITIONAL", "origin": "EXISTING_SITE"}), 201)
    order_id = created["order"]["id"]
    assert created["order"]["status"] == "draft"

    product = {"generation": "ONE", "solution": "ONE_ERP_CRM", "lines": [{"reference": "SAAS IO ODATA", "quantity": 1}]}
    ok(erp.send("put", f"/orders/{order_id}/product", product))
    ok(erp.send("put", f"/orders/{order_id}/site", {"site_number": "c777901"}))
    contact = {"civility": "mrs", "first_name": "Jeanne", "last_name": "Martin", "function": "DSI",
               "email": "jeanne.martin@client.example", "phone": "04 72 00 00 00"}
    ok(erp.send("put", f"/orders/{order_id}/contact", contact))
    ok(erp.send("put", f"/orders/{order_id}/delivery",
                {"date": today.isoformat(), "recipients": ["dsi@client.example", "Compta@Client.example"]}))
    missing = ok(erp.get(f"{API}/orders/{order_id}/missing"))
    assert [part["part"] for part in missing] == ["details"]

    upload = erp.post(f"{API}/orders/{order_id}/documents",
                      {"kind": "purchase_order", "file": _pdf("bon-de-commande.pdf")})
    document = ok(upload, 201)
    assert document["name"] == "bon-de-commande.pdf" and document["kind"] == "purchase_order"
    assert ok(erp.get(f"{API}/orders/{order_id}/missing")) == []

    with django_capture_on_commit_callbacks(execute=True):
        submitted = ok(erp.send("post", f"/orders/{order_id}/submit"))
    assert submitted["status"] == "submitted" and submitted["number"].startswith("CMD-")
    assert submitted["site"] == {"number": "C777901", "company_name": cloud_site.company_name}
    assert submitted["lines"] == [{"reference": "SAAS IO ODATA", "label": submitted["lines"][0]["label"],
                                   "quantity": 1}]
    assert submitted["delivery"]["recipients"] == ["dsi@client.example", "compta@client.example"]

    order = Order.objects.get(public_id=order_id)
    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)
    activation = Activation.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        activation_mark_done(activation=activation, user=cloud_member, service_urls={
            "production": "https://odata.c777901.divalto.example/prod",
            "recette": "https://odata.c777901.divalto.example/recette"})
    assert ok(erp.get(f"{API}/orders/{order_id}"))["status"] == OrderStatus.ACTIVATED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_issue_due(today=today + datetime.timedelta(days=1)) == 1

    certificates = ok(erp.get(f"{API}/certificates", {"order": order_id}))["items"]
    assert [c["order_number"] for c in certificates] == [submitted["number"]]
    pdf = erp.get(f"{API}/certificates/{certificates[0]['id']}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert ok(erp.get(f"{API}/orders/{order_id}"))["status"] == OrderStatus.COMPLETED
    assert {address for message in mail.outbox for address in message.to} >= {"dsi@client.example"}

    # Every stage told to the ERP, signed, in order, without it asking.
    receiver, endpoint = erp_hooks
    told = [Webhook(endpoint.secret).verify(body, headers) for headers, body in receiver.received]
    assert [(event["type"], event["data"].get("order")) for event in told] == [
        ("order.submitted", order_id), ("order.validated", order_id), ("order.activated", order_id),
        ("certificate.issued", order_id), ("order.completed", order_id),
    ]
    assert told[3]["data"]["url"].endswith(f"/api/v1/certificates/{certificates[0]['id']}/pdf")


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
