"""The portal's settings for performance runs: the production settings, plus the benchmark's bare view.

Only what a measurement needs differs from ``mybusiness.settings``:

* ``ROOT_URLCONF`` adds ``/perf/bare/`` (``perf.urls``), the floor that B6 compares the order list with;
* static files are referenced without the collected manifest (collecting and compressing them takes
  minutes here, and no measured page serves them);
* emails may go to files (``PERF_MAIL_DIR``), so that the soak run can count what a worker process sent;
* ``PERF_FAST_REDELIVERY=true`` gives a killed worker's unacknowledged messages back within seconds
  instead of the production hour, as ``tests/worker_settings.py`` does for the services tests.
"""

from mybusiness.env import env
from mybusiness.settings import *  # noqa: F403

ROOT_URLCONF = "perf.urls"

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

EMAIL_FILE_PATH = env.str("PERF_MAIL_DIR", "")

if env.bool("PERF_FAST_REDELIVERY", False):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": 10,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
