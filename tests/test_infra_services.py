"""The services test infrastructure itself: a real worker, a real broker, stopped and killed on purpose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from mybusiness.tasks import clear_expired_sessions
from tests.conftest import wait_until

pytestmark = pytest.mark.services


def make_session(key: str, *, expired: bool) -> None:
    delta = timedelta(hours=-1) if expired else timedelta(hours=1)
    Session.objects.create(session_key=key, session_data="e30:", expire_date=timezone.now() + delta)


def session_gone(key: str) -> bool:
    return not Session.objects.filter(session_key=key).exists()


def test_it_runs_a_queued_task_in_the_real_worker(celery_worker, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    make_session("expired-session-000000000000000", expired=True)
    make_session("current-session-000000000000000", expired=False)

    clear_expired_sessions.delay()

    wait_until(lambda: session_gone("expired-session-000000000000000"), message="the worker's clean-up")
    assert Session.objects.filter(session_key="current-session-000000000000000").exists()
    assert "mybusiness.tasks.clear_expired_sessions" in celery_worker.log()


def test_a_killed_worker_leaves_the_queue_to_its_successor(celery_worker):
    celery_worker.kill()
    assert not celery_worker.running
    make_session("expired-session-111111111111111", expired=True)

    clear_expired_sessions.delay()  # queued while no worker runs: it waits in Redis

    celery_worker.start()
    wait_until(lambda: session_gone("expired-session-111111111111111"), message="the restarted worker's clean-up")


def test_the_broker_can_be_stopped_and_restarted(celery_worker, redis_broker):
    redis_broker.stop()
    assert not redis_broker.ping()
    redis_broker.start()
    assert redis_broker.ping()
    make_session("expired-session-222222222222222", expired=True)

    clear_expired_sessions.delay()

    # The worker reconnects on its own once the broker is back.
    wait_until(lambda: session_gone("expired-session-222222222222222"), timeout=30, message="clean-up after restart")
