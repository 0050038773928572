from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True)
def clear_expired_sessions() -> None:
    """Remove expired sessions (drafts live in the database, not in sessions)."""
    call_command("clearsessions")
