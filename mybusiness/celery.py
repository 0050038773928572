"""The Celery application: tasks autodiscovered from every installed app."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mybusiness.settings")

app = Celery("mybusiness")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# Queueing while the broker is down must not hold the user's request for long: the sweeps catch up.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def queue_or_leave_to_sweep(task, *args, what: str) -> bool:
    """Queue ``task`` (after a commit); True if queued. A broker failure is logged, not raised:
    the work is in the database, and a periodic sweep queues it again."""
    try:
        task.apply_async(args=list(args), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception:  # broker down: the periodic sweep queues it again
        logger.warning("%s not queued; the sweep will retry", what, exc_info=True)
        return False
    return True
