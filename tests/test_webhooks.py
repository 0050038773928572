"""Webhooks: recorded with the change, signed as Standard Webhooks says (checked by its reference library),
sent to a real HTTP server, retried with a doubling delay for 24 hours, then the endpoint disabled and its
admins told; and the partner admin's pages."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from mybusiness.models import OutboxEmail
from orders.services.review import order_validate
from tests.factories import PartnerAdminFactory, UserFactory
from tests.factories_backoffice import eager_celery, submitted_order  # noqa: F401 — a fixture
from tests.webhook_receiver import start_receiver
from webhooks import services
from webhooks.models import DeliveryStatus, WebhookEndpoint, WebhookEvent, WebhookMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    if receiver.hold is not None:
        receiver.hold.set()
    server.shutdown()


@pytest.fixture
def admin(partner):
    return PartnerAdminFactory(partner=partner)


def endpoint_for(admin, url, events=(WebhookEvent.ORDER_VALIDATED,)):
    return services.endpoint_create(admin=admin, url=url, description="ERP", events=list(events))


def test_a_validated_order_reaches_the_partners_system_signed(
    admin, partner, other_partner, sales_admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(admin, receiver.url)
    endpoint_for(admin, receiver.url + "/other-events", events=[WebhookEvent.ORDER_REJECTED])
    endpoint_for(PartnerAdminFactory(partner=other_partner), receiver.url + "/other-partner")
    order = submitted_order(partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)

    assert len(receiver.received) == 1  # only the subscribed endpoint of the order's partner
    headers, body = receiver.received[0]
    payload = Webhook(endpoint.secret).verify(body, headers)  # the reference library's check
    assert payload["type"] == "order.validated"
    assert payload["data"]["number"] == order.number and payload["data"]["previous_status"] == "submitted"
    assert payload["data"]["url"].endswith(f"/api/v1/orders/{order.public_id}")
    message = WebhookMessage.objects.get(endpoint=endpoint)
    assert headers["webhook-id"] == message.msg_id and message.status == DeliveryStatus.DELIVERED
    attempt = message.attempt_log.get()
    assert attempt.status_code == 204 and attempt.duration_ms >= 0
    with pytest.raises(WebhookVerificationError):
        Webhook(services.new_secret()).verify(body, headers)
    tampered = body.replace(b"validated", b"rejected")
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, headers)


def test_nothing_is_recorded_when_the_change_is_rolled_back(admin, partner, sales_admin, receiver):
    endpoint_for(admin, receiver.url)
    order = submitted_order(partner=partner)
    with pytest.raises(RuntimeError), transaction.atomic():
        order_validate(order=order, user=sales_admin)
        raise RuntimeError("the change fails after the event")
    assert not WebhookMessage.objects.exists()
    assert receiver.received == []


def test_during_a_rotation_both_secrets_verify(admin, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(admin, receiver.url)
    old = endpoint.secret
    services.endpoint_rotate_secret(admin=admin, endpoint=endpoint)
    assert endpoint.secret != old
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_test(admin=admin, endpoint=endpoint)
    headers, body = receiver.received[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(body, headers)["type"] == "webhook.test"
    assert Webhook(endpoint.secret).verify(body, headers)["type"] == "webhook.test"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        signed_later = services.signature_header(endpoint, "msg_x", 1, b"{}")
    assert len(signed_later.split(" ")) == 1  # the overlap is over


def test_a_failing_endpoint_is_retried_with_a_doubling_delay_then_disabled_and_its_admins_told(
    admin, partner, receiver, settings, django_capture_on_commit_callbacks
):
    receiver.status = 500
    UserFactory(partner=partner)  # a user, not an admin: not told
    endpoint = endpoint_for(admin, receiver.url)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            services.endpoint_test(admin=admin, endpoint=endpoint)
        message = WebhookMessage.objects.get()
        delays = []
        while True:
            message.refresh_from_db()
            if message.status != DeliveryStatus.PENDING:
                break
            delays.append((message.next_attempt_at - timezone.now()).total_seconds())
            clock.move_to(message.next_attempt_at)
            with django_capture_on_commit_callbacks(execute=True):
                assert services.webhook_sweep_due() == 1  # beat's sweep sends it again
    assert delays[:4] == [10, 20, 40, 80] and max(delays) == 3600
    assert message.status == DeliveryStatus.FAILED
    assert message.attempts == len(receiver.received) == len(delays) + 1
    last_try = message.attempt_log.last().at
    assert datetime.timedelta(hours=23) < last_try - start <= datetime.timedelta(hours=24)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "24 heures" in endpoint.disabled_reason
    told = OutboxEmail.objects.filter(template="webhooks/emails/endpoint_disabled")
    assert [email.to for email in told] == [admin.email]
    assert endpoint.url in told.get().body
    # Disabled: a new event records nothing for it.
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_event_record(partner_id=partner.pk, event_type=WebhookEvent.ORDER_VALIDATED, data={})
    assert WebhookMessage.objects.count() == 1


def test_a_message_is_sent_once_however_many_times_its_task_runs(admin, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.endpoint_test(admin=admin, endpoint=endpoint)
    assert services.webhook_deliver(message_id=message.pk) is False
    assert len(receiver.received) == 1


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "[::1]"])
def test_an_address_on_a_private_network_is_never_called(admin, settings, address, django_capture_on_commit_callbacks):
    settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST = False  # production
    endpoint = endpoint_for(admin, f"https://{address}/hooks")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.endpoint_test(admin=admin, endpoint=endpoint)
    attempt = WebhookMessage.objects.get(pk=message.pk).attempt_log.get()
    assert attempt.status_code is None and "réseau privé" in attempt.error


def test_a_redirect_is_not_followed(admin, receiver, django_capture_on_commit_callbacks):
    receiver.status = 302
    endpoint = endpoint_for(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.endpoint_test(admin=admin, endpoint=endpoint)
    message.refresh_from_db()
    assert message.status == DeliveryStatus.PENDING and message.attempt_log.get().status_code == 302


# ------------------------------------------------------------------------------------------------- pages

@pytest.fixture
def http_allowed(settings):
    settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST = True


def test_a_partner_admin_adds_tests_rotates_and_deletes_an_endpoint(
    client_for, admin, receiver, http_allowed, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    page = client.get(reverse("webhook_endpoints"))
    key = page.context["form"].initial["creation_key"]
    refused = client.post(reverse("webhook_endpoints"), {"url": "http://erp.example.fr/hooks", "events": [],
                                                         "creation_key": key})
    text = refused.content.decode()
    assert "doit commencer par https://" in text and "Choisissez au moins un événement." in text
    form = {"url": receiver.url, "description": "ERP", "events": ["order.validated", "certificate.issued"],
            "creation_key": key}
    created = client.post(reverse("webhook_endpoints"), form)
    client.post(reverse("webhook_endpoints"), form)  # a double click
    endpoint = WebhookEndpoint.objects.get()
    assert created["Location"] == reverse("webhook_endpoint", args=[endpoint.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhook_endpoint_test", args=[endpoint.public_id]))
    detail = client.get(reverse("webhook_endpoint", args=[endpoint.public_id])).content.decode()
    assert "webhook.test" in detail and "204" in detail and endpoint.secret in detail
    client.post(reverse("webhook_endpoint_rotate", args=[endpoint.public_id]))
    endpoint.refresh_from_db()
    assert endpoint.previous_secret and endpoint.previous_secret_until
    client.post(reverse("webhook_endpoint_delete", args=[endpoint.public_id]))
    assert not WebhookEndpoint.objects.exists()


def test_webhook_pages_belong_to_the_companys_admins(client_for, client, admin, partner, other_partner):
    theirs = endpoint_for(PartnerAdminFactory(partner=other_partner), "https://autre.example/hooks")
    mine = client_for(admin)
    assert mine.get(reverse("webhook_endpoint", args=[theirs.public_id])).status_code == 404
    assert mine.post(reverse("webhook_endpoint_delete", args=[theirs.public_id])).status_code == 404
    assert WebhookEndpoint.objects.filter(pk=theirs.pk).exists()
    assert client_for(UserFactory(partner=partner)).get(reverse("webhook_endpoints")).status_code == 403
    client.logout()
    assert client.get(reverse("webhook_endpoints")).status_code == 302


def test_the_payload_is_the_json_recorded(admin, receiver, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.endpoint_test(admin=admin, endpoint=endpoint)
    assert json.loads(receiver.received[0][1]) == WebhookMessage.objects.get(pk=message.pk).payload


def test_the_sweep_and_the_idempotency_purge_are_scheduled_tasks(settings):
    from mybusiness.celery import app

    app.loader.import_default_modules()
    for entry in ("webhooks-sweep", "mybusiness-purge-idempotent-requests"):
        assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
