"""The cloud hand-off: an Activation opened by the validation, a task that notifies the cloud team once,
retried on temporary errors, and a sweep that re-queues what a lost message left behind."""

from __future__ import annotations

import contextlib
import os
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from orders.models import Activation, ActivationStatus, OrderStatus
from orders.services.handoff import activation_handoff, activation_sweep_lost
from orders.services.review import order_validate
from orders.tasks import handoff_activation, sweep_lost_handoffs
from tests.conftest import wait_until
from tests.factories_backoffice import cloud_order, eager_celery, submitted_order  # noqa: F401
from tests.mail_backends import FlakyBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_here_unless_a_worker_runs_them(request):
    """Tasks run eagerly in this process, except in the tests with the real worker (marked ``services``)."""
    if request.node.get_closest_marker("services") is None:
        request.getfixturevalue("eager_celery")


def cloud_mails() -> list:
    return [m for m in mail.outbox if django_settings.CLOUD_TEAM_EMAIL in m.to]


@pytest.fixture(autouse=True)
def reliable_mail_server_afterwards():
    yield
    FlakyBackend.failures_left = 0


@pytest.fixture
def order(partner, partner_user):
    return cloud_order(partner=partner, user=partner_user)


def test_validation_opens_the_activation_and_queues_the_hand_off_on_commit(
    order, sales_admin, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_validate(order=order, user=sales_admin)
    activation = Activation.objects.get(order=order)
    assert activation.status == ActivationStatus.PENDING
    assert not mail.outbox  # nothing leaves before the commit
    assert len(callbacks) == 2  # the partner's email (in the outbox since the validation) and the hand-off

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    activation.refresh_from_db()
    order.refresh_from_db()
    assert activation.status == ActivationStatus.NOTIFIED
    assert activation.notified_at is not None and activation.notification_count == 1
    assert order.status == OrderStatus.IN_ACTIVATION
    handed = order.events.get(to_status=OrderStatus.IN_ACTIVATION)
    assert handed.from_status == OrderStatus.VALIDATED and handed.actor is None
    [cloud] = cloud_mails()
    assert order.number in cloud.subject and "SAAS-ENV" in cloud.body
    assert "/admin/orders/activation/" in cloud.body
    partner_subjects = [m.subject for m in mail.outbox if partner_user.email in m.to]
    assert any("validée" in s for s in partner_subjects)
    assert any("en cours d'activation" in s for s in partner_subjects)


def test_running_the_hand_off_twice_notifies_once(order, sales_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)
    activation = Activation.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=True):
        assert handoff_activation.apply(args=[activation.pk]).get() is False
        assert activation_handoff(activation_id=activation.pk) is False
    activation.refresh_from_db()
    assert activation.notification_count == 1
    assert len(cloud_mails()) == 1
    assert order.events.filter(to_status=OrderStatus.IN_ACTIVATION).count() == 1


def test_a_failed_send_leaves_the_hand_off_pending(order, sales_admin, settings):
    order_validate(order=order, user=sales_admin)  # the hand-off is queued on commit: not run here
    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyBackend"
    FlakyBackend.failures_left = 1
    activation = Activation.objects.get(order=order)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        activation_handoff(activation_id=activation.pk)
    activation.refresh_from_db()
    order.refresh_from_db()
    # The claim went back with the transaction: the next run sends it.
    assert (activation.status, activation.notified_at, activation.notification_count) == (
        ActivationStatus.PENDING, None, 0
    )
    assert order.status == OrderStatus.VALIDATED
    assert activation_handoff(activation_id=activation.pk) is True
    activation.refresh_from_db()
    assert activation.notification_count == 1


def test_temporary_errors_are_retried(order, sales_admin, settings, django_capture_on_commit_callbacks):
    from mybusiness.celery import app

    # Eagerly, Celery runs the retries at once (no countdown) when errors are not propagated.
    app.conf.task_eager_propagates = False  # eager_celery restores it
    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyBackend"
    FlakyBackend.failures_left = 2
    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)
    activation = Activation.objects.get(order=order)
    assert activation.notification_count == 1
    assert len(cloud_mails()) == 1
    assert FlakyBackend.failures_left == 0


def test_the_task_is_declared_for_redelivery_and_backoff():
    assert handoff_activation.acks_late is True
    assert smtplib.SMTPException in handoff_activation.autoretry_for
    assert ConnectionError in handoff_activation.autoretry_for
    assert handoff_activation.retry_backoff and handoff_activation.max_retries >= 3
    schedule = django_settings.CELERY_BEAT_SCHEDULE["orders-sweep-lost-handoffs"]
    assert schedule == {"task": "orders.tasks.sweep_lost_handoffs", "schedule": 60.0}
    assert django_settings.HANDOFF_SWEEP_AFTER_SECONDS == 180


def test_the_sweep_requeues_only_lost_hand_offs(partner, sales_admin, settings):
    lost, recent, done = (cloud_order(partner=partner) for _ in range(3))
    for order in (lost, recent, done):
        order_validate(order=order, user=sales_admin)  # on_commit never runs here: as if the message were lost
    Activation.objects.filter(order=lost).update(queued_at=timezone.now() - timedelta(minutes=10))
    Activation.objects.filter(order=done).update(
        queued_at=timezone.now() - timedelta(minutes=10), status=ActivationStatus.NOTIFIED, notified_at=timezone.now()
    )
    settings.HANDOFF_SWEEP_AFTER_SECONDS = 180
    assert sweep_lost_handoffs.apply().get() == 1
    assert Activation.objects.get(order=lost).notification_count == 1
    assert Activation.objects.get(order=recent).status == ActivationStatus.PENDING
    assert Activation.objects.get(order=done).notification_count == 0
    assert len(cloud_mails()) == 1
    # A second sweep finds nothing more to do.
    assert activation_sweep_lost(older_than_seconds=0) == 1  # the recent one, now older than 0 s
    assert activation_sweep_lost(older_than_seconds=0) == 0
    assert len(cloud_mails()) == 2


def test_an_order_without_cloud_references_is_not_handed_off(partner, sales_admin, django_capture_on_commit_callbacks):
    order = submitted_order(partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)
    assert not Activation.objects.exists()
    assert not cloud_mails()
    order.refresh_from_db()
    assert order.status == OrderStatus.VALIDATED


def test_emails_follow_the_recipient_language(partner, sales_admin, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    english = UserFactory(partner=partner, language="en")
    order = submitted_order(partner=partner, user=english)
    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)
    [message] = mail.outbox
    assert message.body.startswith("Hello,")
    assert message.alternatives[0][0].startswith("<p>Hello,</p>")


# ---------------------------------------------------------------------------
# With the real Redis broker and a real Celery worker (R4, R5). The worker is
# another process: it writes its emails to files (tests.mail_backends), and the
# database records each committed notification (Activation.notification_count).


@pytest.fixture
def worker_mail(tmp_path, monkeypatch):
    """The worker's emails go to files in a folder; ``pause`` stops it in the middle of a send while it exists."""
    folder = tmp_path / "mails"
    folder.mkdir()
    pause = tmp_path / "pause-mail"
    monkeypatch.setenv("EMAIL_BACKEND", "tests.mail_backends.WorkerFileBackend")
    monkeypatch.setenv("MYBUSINESS_TEST_MAIL_DIR", str(folder))
    monkeypatch.setenv("MYBUSINESS_TEST_MAIL_PAUSE", str(pause))
    return type("WorkerMail", (), {"folder": folder, "pause": pause, "sending": folder / "sending"})


@pytest.fixture
def worker(worker_mail, celery_worker):
    """The real worker, started once ``worker_mail`` has set its environment."""
    return celery_worker


def cloud_mail_files(folder: Path) -> int:
    """How many emails to the cloud mailbox the worker really sent."""
    return mail_files_to(folder, django_settings.CLOUD_TEAM_EMAIL)


def mail_files_to(folder: Path, address: str) -> int:
    header = f"To: {address}"
    return sum(
        line.strip() == header
        for path in folder.glob("*.log")
        for line in path.read_text().splitlines()
    )


def notified(activation_id: int) -> bool:
    return Activation.objects.filter(pk=activation_id, notified_at__isnull=False).exists()


@pytest.mark.services
def test_it_hands_off_through_the_real_worker(worker, worker_mail, partner, partner_user, sales_admin):
    order = cloud_order(partner=partner, user=partner_user)
    order_validate(order=order, user=sales_admin)
    activation = Activation.objects.get(order=order)
    wait_until(lambda: notified(activation.pk), message="the hand-off by the worker")
    activation.refresh_from_db()
    order.refresh_from_db()
    assert activation.notification_count == 1
    assert order.status == OrderStatus.IN_ACTIVATION
    wait_until(lambda: cloud_mail_files(worker_mail.folder) == 1, message="the cloud email file")
    # The partner's "validated" and "in activation" emails, sent by the worker from the outbox.
    wait_until(lambda: mail_files_to(worker_mail.folder, partner_user.email) == 2, message="the partner's emails")


@pytest.mark.services
def test_hand_offs_validated_while_the_broker_is_down_are_all_delivered(
    worker, worker_mail, redis_broker, partner, sales_admin, settings
):
    orders = [cloud_order(partner=partner) for _ in range(3)]
    redis_broker.stop()
    try:
        for order in orders:
            order_validate(order=order, user=sales_admin)  # queueing fails after the commit: logged, not raised
    finally:
        redis_broker.start()
    activations = list(Activation.objects.filter(order__in=orders))
    assert len(activations) == 3
    assert all(a.status == ActivationStatus.PENDING for a in activations)

    settings.HANDOFF_SWEEP_AFTER_SECONDS = 0  # what beat's sweep does a few minutes later

    def swept_and_delivered() -> bool:
        # As beat would, sweep again until all are delivered: a publish on a connection the broker's
        # restart broke fails once, and a hand-off queued twice must still notify once.
        sweep_lost_handoffs()
        return all(notified(a.pk) for a in activations)

    wait_until(swept_and_delivered, timeout=40, interval=1, message="every hand-off delivered")
    assert sorted(Activation.objects.values_list("notification_count", flat=True)) == [1, 1, 1]
    wait_until(lambda: cloud_mail_files(worker_mail.folder) == 3, message="three cloud emails")
    assert sweep_lost_handoffs() == 0


@pytest.mark.services
def test_a_worker_killed_during_a_hand_off_delivers_it_exactly_once(
    worker, worker_mail, partner, sales_admin, settings
):
    # The worker will stop inside the cloud team's send, its claim not committed (the partner's
    # "validated" email, from the outbox, goes through).
    worker_mail.pause.write_text(django_settings.CLOUD_TEAM_EMAIL)
    order = cloud_order(partner=partner)
    order_validate(order=order, user=sales_admin)
    activation = Activation.objects.get(order=order)
    wait_until(worker_mail.sending.exists, message="the worker in the middle of the hand-off")

    worker.kill()
    os.unlink(worker_mail.pause)
    activation.refresh_from_db()
    assert activation.notified_at is None and activation.notification_count == 0  # rolled back with the worker
    assert cloud_mail_files(worker_mail.folder) == 0

    worker.start()
    settings.HANDOFF_SWEEP_AFTER_SECONDS = 0
    sweep_lost_handoffs()
    wait_until(lambda: notified(activation.pk), timeout=30, message="the hand-off after the restart")
    # The killed worker's message may also come back (visibility timeout, 10 s in tests): give it the time
    # to run, and it must change nothing.
    with contextlib.suppress(AssertionError):
        wait_until(lambda: worker.log().count("orders.tasks.handoff_activation") >= 4, timeout=20)
    activation.refresh_from_db()
    assert activation.notification_count == 1
    assert cloud_mail_files(worker_mail.folder) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_ACTIVATION
    assert order.events.filter(to_status=OrderStatus.IN_ACTIVATION).count() == 1
