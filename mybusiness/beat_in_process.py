"""The periodic tasks of ``CELERY_BEAT_SCHEDULE`` run inside the demo's web process (``manage.py rundemo``).

Production runs them with Celery beat and a worker (``make beat``, ``make worker``). The demo has no
broker, so nothing would ever issue a certificate on its date: a thread of the demo's own process runs
every task of the same schedule, in-process, every few seconds. The tasks are idempotent sweeps (each
does what is due and nothing else), so running them more often than beat only finds the work sooner.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


def periodic_tasks_run() -> dict[str, object]:
    """Run every task of the beat schedule once, here and now; returns each entry's result.

    One task failing is logged and does not keep the others from running.
    """
    from mybusiness.celery import app

    app.loader.import_default_modules()  # the apps' tasks modules, as a worker imports them at start
    results: dict[str, object] = {}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        task = app.tasks[entry["task"]]
        try:
            # Called as a function: the same code as a worker runs, without a line of log per tick.
            results[name] = task(*entry.get("args", ()), **entry.get("kwargs", {}))
            if results[name]:
                logger.info("Periodic task %s: %s", name, results[name])
        except Exception:
            logger.exception("Periodic task %s failed; it runs again at the next tick", name)
            results[name] = None
    return results


class BeatInProcess(threading.Thread):
    """A daemon thread that calls ``periodic_tasks_run`` every ``interval`` seconds until stopped."""

    def __init__(self, *, interval: float) -> None:
        super().__init__(name="beat-in-process", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                periodic_tasks_run()
            finally:
                # This thread's own connections, closed between ticks (SQLite is not held).
                connections.close_all()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
