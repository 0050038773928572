"""Celery tasks of the webhooks: thin, idempotent, taking ids."""

from celery import shared_task

from webhooks.services import webhook_deliver, webhook_sweep_due


# No Celery retry: a failed try is recorded on the message, and the sweep sends it again after its delay.
@shared_task(acks_late=True)
def deliver_webhook(message_id: int) -> bool:
    """Send one webhook message; running it twice (a redelivered task, the sweep) sends it once."""
    return webhook_deliver(message_id=message_id)


@shared_task(acks_late=True)
def sweep_webhooks() -> int:
    """Every minute (beat): queue again the messages due, whatever left them (a failure, the broker, a worker)."""
    return webhook_sweep_due()
