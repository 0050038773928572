from celery import shared_task

from certificates import services


@shared_task(acks_late=True)
def issue_due_certificates() -> int:
    """Beat task: issue the certificates whose delivery date has come, and send any left unsent.

    Idempotent: an order already completed is skipped, a certificate already claimed is not sent again.
    """
    return services.certificates_issue_due()
