"""The email outbox: each lifecycle email is a row written in the transaction of the change it announces,
sent once by a task after the commit, re-queued by a sweep when left unsent, retried when the mail server
fails and, after the last allowed failure, shown as failed in the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mybusiness import emails
from mybusiness.emails import email_deliver, email_purge_sent, email_sweep_unsent
from mybusiness.models import OutboxEmail, OutboxStatus
from mybusiness.tasks import deliver_email, purge_sent_emails, sweep_unsent_emails
from orders.models import Activation, OrderStatus
from orders.services.handoff import activation_handoff
from orders.services.review import order_reject, order_validate
from tests.concurrency import at_once
from tests.factories import StaffFactory, UserFactory
from tests.factories_backoffice import cloud_order, eager_celery, submitted_order  # noqa: F401
from tests.mail_backends import FlakyBackend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

REASON = "Le SIRET ne correspond pas au client."


@pytest.fixture
def order(partner, partner_user):
    return submitted_order(partner=partner, user=partner_user)


@pytest.fixture
def flaky_mail_server(settings):
    """A mail server that drops the connection ``failures_left`` times; reliable again after the test."""
    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures_left = 0


def recorded_unsent(order, sales_admin) -> OutboxEmail:
    """The rejection email, committed but never sent: as if the process had died right after the commit."""
    with transaction.atomic():
        order_reject(order=order, user=sales_admin, reason=REASON)  # on_commit does not run in a test
    return OutboxEmail.objects.latest("pk")


def make_due(email: OutboxEmail) -> None:
    OutboxEmail.objects.filter(pk=email.pk).update(retry_at=timezone.now() - timedelta(seconds=1))


def test_it_records_the_email_in_the_changes_transaction_and_sends_it_after_the_commit(
    order, sales_admin, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_reject(order=order, user=sales_admin, reason=REASON)
    email = OutboxEmail.objects.get()
    assert email.status == OutboxStatus.PENDING
    assert email.recipients == [partner_user.email]
    assert order.number in email.subject and REASON in email.body
    assert not mail.outbox  # nothing leaves before the commit

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    [message] = mail.outbox
    assert message.to == [partner_user.email] and message.subject == email.subject
    assert message.alternatives[0][1] == "text/html"
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT and email.sent_at is not None and email.retry_at is None


def test_a_rolled_back_change_leaves_no_email(order, sales_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        order_reject(order=order, user=sales_admin, reason=REASON)
        raise RuntimeError("the change fails after its email was recorded")
    assert not OutboxEmail.objects.exists()
    assert not mail.outbox
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_the_email_is_rendered_in_the_recipients_language(partner, sales_admin):
    english = UserFactory(partner=partner, language="en")
    order = submitted_order(partner=partner, user=english)
    email = recorded_unsent(order, sales_admin)
    assert email.body.startswith("Hello,")
    assert email_deliver(email_id=email.pk) is True
    assert mail.outbox[0].body.startswith("Hello,")


def test_delivery_marks_it_sent_and_sends_once_when_run_twice(order, sales_admin):
    email = recorded_unsent(order, sales_admin)
    assert email_deliver(email_id=email.pk) is True
    assert email_deliver(email_id=email.pk) is False
    assert deliver_email.apply(args=[email.pk]).get() is False  # a redelivered task message
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT and email.failures == 0


def test_delivering_an_email_that_no_longer_exists_does_nothing():
    assert deliver_email.apply(args=[123456]).get() is False
    assert not mail.outbox


def test_the_sweep_sends_an_email_left_unsent(order, sales_admin):
    email = recorded_unsent(order, sales_admin)
    assert sweep_unsent_emails.apply().get() == 0  # not due yet: its task may still be on its way
    make_due(email)
    assert sweep_unsent_emails.apply().get() == 1
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert email_sweep_unsent(older_than_seconds=0) == 0  # nothing left to send
    assert len(mail.outbox) == 1


def test_the_in_activation_email_survives_a_worker_dying_after_the_hand_offs_commit(
    partner, partner_user, sales_admin, django_capture_on_commit_callbacks
):
    order = cloud_order(partner=partner, user=partner_user)
    order_validate(order=order, user=sales_admin)  # its callbacks do not run here
    activation = Activation.objects.get(order=order)
    with django_capture_on_commit_callbacks(execute=False):
        assert activation_handoff(activation_id=activation.pk) is True  # committed; then the worker dies
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_ACTIVATION
    in_activation = OutboxEmail.objects.get(template="orders/emails/in_activation_partner")
    assert in_activation.status == OutboxStatus.PENDING
    assert [m.to for m in mail.outbox] == [[django_settings.CLOUD_TEAM_EMAIL]]  # the hand-off's own email

    OutboxEmail.objects.update(retry_at=timezone.now() - timedelta(seconds=1))
    assert email_sweep_unsent(older_than_seconds=180) == 2  # the "validated" and the "in activation" emails
    partner_subjects = [m.subject for m in mail.outbox if m.to == [partner_user.email]]
    assert sorted(partner_subjects) == sorted(
        [f"Commande {order.number} validée", f"Commande {order.number} en cours d'activation"]
    )
    assert email_sweep_unsent(older_than_seconds=0) == 0


def test_a_failed_send_is_retried_later(order, sales_admin, flaky_mail_server, settings):
    settings.OUTBOX_RETRY_AFTER_SECONDS = 60
    flaky_mail_server.failures_left = 1
    email = recorded_unsent(order, sales_admin)
    before = timezone.now()
    assert email_deliver(email_id=email.pk) is False  # logged and recorded, not raised
    email.refresh_from_db()
    assert (email.status, email.failures) == (OutboxStatus.PENDING, 1)
    assert "SMTPServerDisconnected" in email.last_error
    assert email.retry_at >= before + timedelta(seconds=60)
    assert email_sweep_unsent(older_than_seconds=180) == 0  # waits for its retry delay
    make_due(email)
    assert email_sweep_unsent(older_than_seconds=180) == 1
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT and email.failures == 1
    assert len(mail.outbox) == 1


def test_the_retry_delay_doubles_and_the_email_is_given_up_after_the_last_allowed_failure(
    order, sales_admin, flaky_mail_server, settings
):
    settings.OUTBOX_RETRY_AFTER_SECONDS = 60
    settings.OUTBOX_MAX_FAILURES = 3
    flaky_mail_server.failures_left = 100
    email = recorded_unsent(order, sales_admin)
    delays = []
    for _ in range(3):
        make_due(email)
        started = timezone.now()
        email_sweep_unsent(older_than_seconds=180)
        email.refresh_from_db()
        if email.retry_at is not None:
            delays.append(round((email.retry_at - started).total_seconds() / 60))
    assert delays == [1, 2]
    assert (email.status, email.failures, email.retry_at) == (OutboxStatus.FAILED, 3, None)
    assert "SMTPServerDisconnected" in email.last_error
    flaky_mail_server.failures_left = 0
    OutboxEmail.objects.filter(pk=email.pk).update(retry_at=timezone.now() - timedelta(days=1))
    assert email_sweep_unsent(older_than_seconds=0) == 0  # given up: never retried again
    assert email_deliver(email_id=email.pk) is False
    assert not mail.outbox


def test_the_task_and_the_sweep_are_declared():
    assert deliver_email.acks_late is True
    assert django_settings.CELERY_BEAT_SCHEDULE["mybusiness-sweep-unsent-emails"] == {
        "task": "mybusiness.tasks.sweep_unsent_emails", "schedule": 60.0
    }
    assert django_settings.OUTBOX_SWEEP_AFTER_SECONDS == 180
    assert django_settings.OUTBOX_MAX_FAILURES >= 3


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL; SQLite serialises writers anyway",
)
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_send_once(partner_user):
    # Written directly: here a commit runs its callbacks, which would send it at once.
    email = OutboxEmail.objects.create(
        template="orders/emails/rejected_partner", to=partner_user.email, subject="Commande refusée", body="Bonjour,"
    )
    outcomes = at_once(lambda: email_deliver(email_id=email.pk))
    assert sorted(outcomes) == [False, True]
    assert len(mail.outbox) == 1


# --- The nightly purge ---------------------------------------------------------------------------


def outbox_email(status: str, *, sent_days_ago: float | None = None, created_days_ago: float = 400) -> OutboxEmail:
    now = timezone.now()
    return OutboxEmail.objects.create(
        template="orders/emails/rejected_partner", to="partner@example.com", subject=f"{status} {sent_days_ago}",
        body="Bonjour,", status=status, created_at=now - timedelta(days=created_days_ago),
        sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago),
    )


def test_the_purge_deletes_only_emails_sent_long_ago(settings):
    settings.OUTBOX_KEEP_SENT_DAYS = 90
    old = [outbox_email(OutboxStatus.SENT, sent_days_ago=days) for days in (91, 365)]
    kept = [
        outbox_email(OutboxStatus.SENT, sent_days_ago=89),  # recent: support may still look it up
        outbox_email(OutboxStatus.PENDING),  # never sent: the sweep still needs it, however old
        outbox_email(OutboxStatus.FAILED),  # given up: shown in the admin until someone acts
    ]
    assert purge_sent_emails() == 2
    assert not OutboxEmail.objects.filter(pk__in=[email.pk for email in old]).exists()
    assert set(OutboxEmail.objects.values_list("pk", flat=True)) == {email.pk for email in kept}
    assert purge_sent_emails() == 0


def test_the_purge_goes_by_batches_and_stops_after_its_share(monkeypatch):
    monkeypatch.setattr(emails, "PURGE_BATCH", 2)
    for _ in range(5):
        outbox_email(OutboxStatus.SENT, sent_days_ago=100)
    assert email_purge_sent(older_than_days=90, max_batches=2) == 4  # a backlog goes over several nights
    assert email_purge_sent(older_than_days=90, max_batches=2) == 1
    assert not OutboxEmail.objects.exists()


def test_the_purge_is_scheduled_every_night():
    assert django_settings.CELERY_BEAT_SCHEDULE["mybusiness-purge-sent-emails"]["task"] == (
        "mybusiness.tasks.purge_sent_emails"
    )
    assert purge_sent_emails.acks_late is True
    assert django_settings.OUTBOX_KEEP_SENT_DAYS == 90


# --- The admin: read-only, for sales administration ------------------------------------------------

LIST_URL = "admin:mybusiness_outboxemail_changelist"


@pytest.fixture
def failed_email(order, sales_admin):
    email = recorded_unsent(order, sales_admin)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.FAILED, failures=8, last_error="SMTPRecipientsRefused: 550 no such user"
    )
    return email


def test_sales_admin_sees_the_failed_emails(failed_email, client_for, sales_admin):
    client = client_for(sales_admin)
    page = client.get(reverse(LIST_URL), {"status__exact": "failed"}).content.decode()
    assert failed_email.subject in page
    detail = client.get(reverse("admin:mybusiness_outboxemail_change", args=[failed_email.pk])).content.decode()
    assert "550 no such user" in detail
    assert 'name="_save"' not in detail  # read-only


def test_a_superuser_sees_the_outbox(failed_email, client_for):
    superuser = StaffFactory(is_superuser=True, email="root@vendor.example")
    assert client_for(superuser).get(reverse(LIST_URL)).status_code == 200


def test_nobody_adds_changes_or_deletes_an_outbox_email(failed_email, client_for, sales_admin):
    client = client_for(sales_admin)
    assert client.get(reverse("admin:mybusiness_outboxemail_add")).status_code == 403
    assert client.get(reverse("admin:mybusiness_outboxemail_delete", args=[failed_email.pk])).status_code == 403
    response = client.post(reverse("admin:mybusiness_outboxemail_change", args=[failed_email.pk]), {"subject": "x"})
    assert response.status_code == 403
    failed_email.refresh_from_db()
    assert failed_email.subject != "x"


@pytest.mark.parametrize("who", ["anonymous", "partner_user", "cloud_member"])
def test_others_cannot_see_the_outbox(who, failed_email, client_for, request):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).get(reverse(LIST_URL))
    assert response.status_code in (302, 403)
    assert failed_email.subject not in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_outbox_list_query_count_does_not_grow(
    rows, partner, sales_admin, client_for, django_assert_max_num_queries
):
    for _ in range(rows):
        recorded_unsent(submitted_order(partner=partner), sales_admin)
    client = client_for(sales_admin)
    # (One of them is the session's second-factor device, django-otp's, on every staff page.)
    with django_assert_max_num_queries(11):
        assert client.get(reverse(LIST_URL)).status_code == 200
