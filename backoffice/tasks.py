"""The dashboard's nightly work."""

from celery import shared_task
from django.utils import timezone

from backoffice.selectors import Period, closed_months


@shared_task
def keep_closed_months() -> int:
    """Beat task: count and keep the lead times of the months just closed, before anyone opens the dashboard."""
    return len(closed_months(Period(timezone.now())))
