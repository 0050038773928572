"""Emails rendered in the recipient's language, as text and HTML, and the outbox that makes them durable.

``send_templated_email`` sends at once (the cloud hand-off, whose own transaction
keeps it exactly-once, and the certificates with their attachments).

The outbox is for every other email a change announces, so that none is lost when the
process that made the change dies right after its commit:

* ``email_record`` renders the email and writes it as an ``OutboxEmail`` row in the
  caller's transaction: the change and its email are committed together or not at all.
  After the commit it queues ``mybusiness.tasks.deliver_email``.
* ``email_deliver`` (the task) claims the row with a conditional ``UPDATE ... WHERE
  status = 'pending'``, sends, and marks it sent, all in one transaction. The row lock the
  UPDATE takes is the lease: a second run of the task waits on it, then finds the row sent
  and sends nothing. A process killed before the commit leaves the row pending (the
  database rolls the claim back by itself), and the sweep queues it again.
* The one window left is a crash between the mail server accepting the message and the
  COMMIT that marks it sent: that one email is then sent twice. An email is never lost.
* A failed send (mail server down, refused) is recorded on the row, and ``email_sweep_unsent``
  (every minute, Celery beat) queues it again after a delay that doubles at each failure;
  after ``OUTBOX_MAX_FAILURES`` failures it is given up and shown as failed in the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mybusiness.celery import queue_or_leave_to_sweep
from mybusiness.models import OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
PURGE_BATCH = 5000
MAX_RETRY_DELAY_SECONDS = 3600
# The template engine of the plain-text parts: no HTML escaping (settings.TEMPLATES).
TEXT_ENGINE = "text"


def render_email(*, template: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of ``template`` + ``_subject.txt`` / ``.txt`` / ``.html`` in ``language``: the
    subject and text as typed, the HTML escaped."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context, using=TEXT_ENGINE).split())
        text = render_to_string(f"{template}.txt", context, using=TEXT_ENGINE)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def build_message(*, subject: str, text: str, html: str, to: Iterable[str]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to))
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_templated_email(
    *,
    template: str,
    to: Iterable[str],
    language: str,
    context: dict,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> None:
    subject, text, html = render_email(template=template, language=language, context=context)
    message = build_message(subject=subject, text=text, html=html, to=to)
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()


# --- The outbox ---------------------------------------------------------------------------------


# Emails whose body holds a link that logs its reader in (choose a password): the outbox keeps them to send
# and retry, but nobody reads them in the admin (mybusiness.admin.OutboxEmailAdmin).
SECRET_LINK_TEMPLATES = frozenset({"registration/password_reset_email", "mybusiness/emails/invitation"})


def email_record(*, template: str, to: Iterable[str], language: str, context: dict) -> OutboxEmail:
    """Render an email and keep it in the outbox, in the caller's transaction; it is sent after the commit."""
    subject, text, html = render_email(template=template, language=language, context=context)
    email = OutboxEmail.objects.create(
        template=template,
        to=", ".join(to),
        subject=subject[: OutboxEmail._meta.get_field("subject").max_length],
        body=text,
        html=html,
        retry_at=timezone.now() + timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS),
    )
    transaction.on_commit(lambda: email_queue_delivery(email_id=email.pk))
    return email


def email_queue_delivery(*, email_id: int) -> bool:
    """Queue the delivery task. A broker failure is logged, not raised: the sweep queues it again."""
    from mybusiness.tasks import deliver_email

    return queue_or_leave_to_sweep(deliver_email, email_id, what=f"Email {email_id}")


def email_deliver(*, email_id: int) -> bool:
    """Send one outbox email unless it is already sent or given up; True if this call sent it.

    Claim, send and mark happen in one transaction (see the module docstring): two runs
    never both send. A crash after the mail server accepted the message but before the
    COMMIT sends that one email again later (at most a duplicate, never a loss). A failed
    send is recorded on the row for the sweep to retry, and not raised.
    """
    try:
        with transaction.atomic():
            claimed = OutboxEmail.objects.filter(pk=email_id, status=OutboxStatus.PENDING).update(
                last_attempt_at=timezone.now()
            )
            if claimed != 1:
                return False
            email = OutboxEmail.objects.get(pk=email_id)
            build_message(subject=email.subject, text=email.body, html=email.html, to=email.recipients).send()
            OutboxEmail.objects.filter(pk=email_id).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), retry_at=None
            )
    except Exception as error:  # the mail server failed (or the database): recorded, retried by the sweep
        email_record_failure(email_id=email_id, error=error)
        return False
    return True


def email_record_failure(*, email_id: int, error: Exception) -> None:
    """Count a failed send: retry later (the delay doubles each time), or give up after the last allowed."""
    now = timezone.now()
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id, status=OutboxStatus.PENDING).first()
        if email is None:
            return
        email.failures += 1
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.failures >= settings.OUTBOX_MAX_FAILURES:
            email.status = OutboxStatus.FAILED
            email.retry_at = None
            logger.error("Email %s (%s) given up after %d failures: %s", email_id, email.template,
                         email.failures, email.last_error)
        else:
            delay = min(settings.OUTBOX_RETRY_AFTER_SECONDS * 2 ** (email.failures - 1), MAX_RETRY_DELAY_SECONDS)
            email.retry_at = now + timedelta(seconds=delay)
            logger.warning("Email %s (%s) not sent (failure %d), retried in %d s: %s", email_id, email.template,
                           email.failures, delay, email.last_error)
        email.save(update_fields=["failures", "last_error", "status", "retry_at"])


def email_sweep_unsent(*, older_than_seconds: int) -> int:
    """Queue again every unsent email that is due: queued ``older_than_seconds`` ago, or its retry delay over."""
    now = timezone.now()
    due = OutboxEmail.objects.filter(status=OutboxStatus.PENDING, retry_at__lte=now).values_list("pk", flat=True)
    requeued = 0
    for email_id in list(due[:SWEEP_BATCH]):
        # Two sweeps at once queue it once (delivery is idempotent anyway).
        if OutboxEmail.objects.filter(pk=email_id, status=OutboxStatus.PENDING, retry_at__lte=now).update(
            retry_at=now + timedelta(seconds=older_than_seconds)
        ) and email_queue_delivery(email_id=email_id):
            requeued += 1
    if requeued:
        logger.info("Sweep queued %d unsent email(s) again", requeued)
    return requeued


def email_purge_sent(*, older_than_days: int, max_batches: int = 200) -> int:
    """Delete the emails sent more than ``older_than_days`` ago; how many went.

    Every change of every order records emails, each with its text and HTML: kept for ever the outbox
    would hold millions of rows nobody reads. Unsent and given-up emails always stay (the sweep and the
    admin need them). Deleted ``PURGE_BATCH`` at a time, each batch its own short transaction, at most
    ``max_batches`` per run: a backlog goes over several nights instead of one long lock.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    old = OutboxEmail.objects.filter(status=OutboxStatus.SENT, sent_at__lt=cutoff).order_by()
    purged = 0
    for _ in range(max_batches):
        ids = list(old.values_list("pk", flat=True)[:PURGE_BATCH])
        if not ids:
            break
        purged += OutboxEmail.objects.filter(pk__in=ids).delete()[0]
        if len(ids) < PURGE_BATCH:
            break
    if purged:
        logger.info("Purge deleted %d email(s) sent more than %d days ago", purged, older_than_days)
    return purged
