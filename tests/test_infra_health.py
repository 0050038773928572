"""/healthz: what a load balancer asks the portal, answered from the real database and broker."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port():
    """A local port bound by nobody's listener: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_it_answers_200_with_the_database_ok(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == ("eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok")
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_broker_is_unreachable(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "error", "database": "ok", "broker": "error: ConnectionError"}


def test_it_needs_no_login(client):
    assert client.get(reverse("healthz")).status_code == 200


def test_it_refuses_a_post(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.services
def test_it_follows_the_real_broker_down_and_back(client, redis_broker, settings):
    assert client.get(reverse("healthz")).json()["broker"] == "ok"
    redis_broker.stop()
    try:
        response = client.get(reverse("healthz"))
        assert response.status_code == 503
        assert response.json()["broker"].startswith("error")
    finally:
        redis_broker.start()
    assert client.get(reverse("healthz")).status_code == 200
