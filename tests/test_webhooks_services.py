"""Webhooks with the real Redis broker and a real Celery worker (R4 and R5 for webhooks): messages recorded
while the broker is down, and one whose worker is killed in the middle of its POST, are each delivered once
when things are back."""

from __future__ import annotations

import contextlib
import threading

import pytest

from tests.conftest import wait_until
from tests.factories import PartnerAdminFactory
from tests.webhook_receiver import start_receiver
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookMessage
from webhooks.services import endpoint_create, endpoint_test, webhook_sweep_due

pytestmark = pytest.mark.services


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    if receiver.hold is not None:
        receiver.hold.set()
    server.shutdown()


@pytest.fixture
def endpoint(partner, receiver):
    admin = PartnerAdminFactory(partner=partner)
    return admin, endpoint_create(admin=admin, url=receiver.url, description="ERP", events=["order.validated"])


def all_delivered(messages) -> bool:
    return WebhookMessage.objects.filter(pk__in=[m.pk for m in messages], status=DeliveryStatus.DELIVERED).count() \
        == len(messages)


def test_messages_recorded_while_the_broker_is_down_are_each_delivered_once_it_is_back(
    celery_worker, redis_broker, endpoint, receiver, settings
):
    admin, endpoint = endpoint
    settings.WEBHOOK_SWEEP_AFTER_SECONDS = 0  # what beat's sweep does a minute later
    redis_broker.stop()
    try:
        messages = [endpoint_test(admin=admin, endpoint=endpoint) for _ in range(3)]  # queueing fails: logged
    finally:
        redis_broker.start()
    assert WebhookMessage.objects.filter(status=DeliveryStatus.PENDING).count() == 3

    def swept_and_delivered() -> bool:
        webhook_sweep_due()
        return all_delivered(messages)

    wait_until(swept_and_delivered, timeout=40, interval=1, message="every message delivered")
    ids = sorted(headers["webhook-id"] for headers, _body in receiver.received)
    assert ids == sorted(message.msg_id for message in messages)  # each once
    assert WebhookAttempt.objects.count() == 3


def test_a_worker_killed_in_the_middle_of_a_post_delivers_it_once_after_restart(
    celery_worker, endpoint, receiver, settings
):
    admin, endpoint = endpoint
    receiver.hold = threading.Event()  # the ERP answers nothing while the test holds it
    message = endpoint_test(admin=admin, endpoint=endpoint)
    wait_until(lambda: len(receiver.received) == 1, message="the worker's POST")

    celery_worker.kill()
    receiver.hold.set()
    receiver.hold = None
    message.refresh_from_db()
    assert message.status == DeliveryStatus.PENDING and message.attempts == 0  # rolled back with the worker

    celery_worker.start()
    settings.WEBHOOK_SWEEP_AFTER_SECONDS = 0
    WebhookMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    webhook_sweep_due()
    wait_until(lambda: all_delivered([message]), timeout=30, message="the message after the restart")
    # The killed worker's task may come back too (visibility timeout, 10 s in tests): it must change nothing.
    with contextlib.suppress(AssertionError):
        wait_until(lambda: celery_worker.log().count("webhooks.tasks.deliver_webhook") >= 4, timeout=20)
    message.refresh_from_db()
    assert message.attempts == 1 and message.attempt_log.get().status_code == 204
    assert [headers["webhook-id"] for headers, _body in receiver.received] == [message.msg_id] * 2
