"""Handing a validated order to the cloud team, exactly once.

How "exactly once" is kept (R3–R5):

* The hand-off is claimed by a conditional ``UPDATE activation SET notified_at = now
  WHERE id = %s AND notified_at IS NULL AND status = 'pending'`` and only the caller
  that changed one row goes on.
* That UPDATE runs in the transaction that also moves the order to ``in_activation``
  (with its event) and then sends the cloud email, last. The row lock the UPDATE takes
  is the lease: a second run of the task waits on it, then finds ``notified_at`` set
  and does nothing. If the worker dies before the commit (killed, SMTP error), the
  database rolls the claim back and releases the lock by itself, so the redelivered
  message (``acks_late``) or the sweep sends it again — no stale claim to expire.
* We chose this over "mark then send" (a crash after the mark loses the email) and
  "send then mark in another transaction" (a crash in between duplicates it, with a
  window as long as the send). The one window left is a crash between the mail
  server accepting the message and the COMMIT, a few milliseconds; closing it would
  need the receiving side to deduplicate.
* The partner's « en activation » email is not sent here: it is recorded in the email outbox
  (``mybusiness.emails``) in this same transaction, so it commits with the hand-off and a
  worker killed right after the COMMIT cannot lose it (the outbox's sweep sends it).
* ``queued_at`` records when the task was last queued. If queueing failed (broker
  down) or the message was lost, ``activation_sweep_lost`` (every minute, Celery beat)
  queues again every hand-off still pending ``HANDOFF_SWEEP_AFTER_SECONDS`` later.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from mybusiness.celery import queue_or_leave_to_sweep
from orders import notifications
from orders.models import Activation, ActivationStatus, Order, OrderStatus
from orders.services.lifecycle import transition

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def activation_queue_handoff(*, activation_id: int) -> bool:
    """Queue the hand-off task (after the validation's commit). A broker failure is logged, not raised."""
    from orders.tasks import handoff_activation

    return queue_or_leave_to_sweep(handoff_activation, activation_id, what=f"Hand-off of activation {activation_id}")


def activation_handoff(*, activation_id: int) -> bool:
    """Notify the cloud team of a pending activation; True if this call did it, False if already done."""
    with transaction.atomic():
        claimed = Activation.objects.filter(
            pk=activation_id, status=ActivationStatus.PENDING, notified_at__isnull=True
        ).update(
            status=ActivationStatus.NOTIFIED,
            notified_at=timezone.now(),
            notification_count=F("notification_count") + 1,
        )
        if claimed != 1:
            return False
        activation = Activation.objects.select_related("order").get(pk=activation_id)
        order: Order = activation.order
        if order.status == OrderStatus.VALIDATED:
            transition(
                order=order,
                actor=None,
                allowed_from=[OrderStatus.VALIDATED],
                to=OrderStatus.IN_ACTIVATION,
                message=gettext_noop("Commande transmise à l'équipe cloud pour son activation."),
                # Recorded in this transaction: committed with the hand-off, sent after it (never lost).
                notify=lambda saved: notifications.notify_in_activation(order_id=saved.pk),
            )
        # Last, so that nothing but the COMMIT follows the email (see the module docstring).
        notifications.notify_cloud_team(activation=activation)
    return True


def activation_sweep_lost(*, older_than_seconds: int) -> int:
    """Queue again every hand-off still pending ``older_than_seconds`` after it was last queued."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    stale = Activation.objects.filter(
        status=ActivationStatus.PENDING, notified_at__isnull=True, queued_at__lte=cutoff
    ).values_list("pk", flat=True)[:SWEEP_BATCH]
    requeued = 0
    for activation_id in list(stale):
        # Two sweeps at once queue it once (the task is idempotent anyway).
        if Activation.objects.filter(pk=activation_id, notified_at__isnull=True, queued_at__lte=cutoff).update(
            queued_at=now
        ) and activation_queue_handoff(activation_id=activation_id):
            requeued += 1
    if requeued:
        logger.info("Sweep queued %d lost hand-off(s) again", requeued)
    return requeued
