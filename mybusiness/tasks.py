"""Celery tasks of the shared app: thin, idempotent, taking ids."""

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from mybusiness.emails import email_deliver, email_purge_sent, email_sweep_unsent


@shared_task(acks_late=True)
def clear_expired_sessions() -> None:
    """Remove expired sessions (drafts live in the database, not in sessions)."""
    call_command("clearsessions")


# No Celery retry: a failed send is recorded on the outbox row, and the sweep queues it again
# with a growing delay (visible in the admin, given up after OUTBOX_MAX_FAILURES).
@shared_task(acks_late=True)
def deliver_email(email_id: int) -> bool:
    """Send one email of the outbox; running it twice (a redelivered message, the sweep) sends it once."""
    return email_deliver(email_id=email_id)


@shared_task(acks_late=True)
def sweep_unsent_emails() -> int:
    """Every minute (beat): queue again the outbox emails a lost message, a killed worker or a failed send left."""
    return email_sweep_unsent(older_than_seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)


@shared_task(acks_late=True)
def purge_idempotent_requests() -> int:
    """Every night (beat): forget the API's answers kept for an Idempotency-Key past API_IDEMPOTENCY_HOURS."""
    from mybusiness.services import api_idempotency_purge

    return api_idempotency_purge()


@shared_task(acks_late=True)
def purge_sent_emails() -> int:
    """Every night (beat): delete the outbox emails sent more than OUTBOX_KEEP_SENT_DAYS ago."""
    return email_purge_sent(older_than_days=settings.OUTBOX_KEEP_SENT_DAYS)
