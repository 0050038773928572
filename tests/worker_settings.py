"""Settings of the Celery worker that services tests start (tests/conftest.py ``celery_worker``).

The test settings, plus a broker that gives a crashed worker's unacknowledged
messages back within seconds instead of the production hour: a message older
than 10 s without an ack is restored by the next sweep, and sweeps run every
second without throttling.
"""

from tests.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 10,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
