"""Celery tasks of the orders app: thin, idempotent, taking ids."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from orders.services.handoff import activation_handoff, activation_sweep_lost

# Temporary failures: the mail server or the database briefly unreachable. Anything
# else is a bug and fails the task (the sweep still queues the hand-off again later).
TEMPORARY_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError, OperationalError, InterfaceError)


@shared_task(
    acks_late=True,
    autoretry_for=TEMPORARY_ERRORS,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def handoff_activation(activation_id: int) -> bool:
    """Notify the cloud team of a validated order's activation; running it twice notifies once."""
    return activation_handoff(activation_id=activation_id)


@shared_task(acks_late=True)
def sweep_lost_handoffs() -> int:
    """Every minute (beat): queue again the hand-offs a lost message or a down broker left pending."""
    return activation_sweep_lost(older_than_seconds=settings.HANDOFF_SWEEP_AFTER_SECONDS)
