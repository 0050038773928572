"""`make demo` runs the whole lifecycle with no other service: the periodic tasks run inside the demo's
web process (``manage.py rundemo``), and emailed links follow the served port."""

from __future__ import annotations

import datetime
import subprocess
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management.commands.runserver import Command as RunserverCommand

from certificates.models import Certificate
from mybusiness.beat_in_process import BeatInProcess, periodic_tasks_run
from mybusiness.management.commands.rundemo import Command as RundemoCommand
from orders.models import Order, OrderStatus
from tests.factories_backoffice import eager_celery  # noqa: F401
from tests.factories_certs import CertSiteFactory, order_at

ROOT = Path(__file__).resolve().parent.parent
DELIVERY = datetime.date(2026, 12, 14)
# Noon in Paris, the day before and on the requested delivery date.
DAY_BEFORE = datetime.datetime(2026, 12, 13, 11, 0, tzinfo=datetime.UTC)
ON_THE_DAY = datetime.datetime(2026, 12, 14, 11, 0, tzinfo=datetime.UTC)


def validated_order(partner) -> Order:
    """Validated, no cloud activation needed: due for its certificate on its requested delivery date."""
    site = CertSiteFactory(partner=partner)
    return order_at(OrderStatus.VALIDATED, partner=partner, site=site, delivery_date=DELIVERY)


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_celery")
def test_it_issues_the_certificate_on_its_date_with_the_link_on_the_served_port(
    partner, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8123"
    order = validated_order(partner)

    with time_machine.travel(DAY_BEFORE, tick=False), django_capture_on_commit_callbacks(execute=True):
        periodic_tasks_run()
    assert not Certificate.objects.exists()

    with time_machine.travel(ON_THE_DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
        results = periodic_tasks_run()
    assert results["certificates-issue-due"] == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    sent = [message for message in mail.outbox if Certificate.objects.get(order=order).number in message.subject]
    assert sent and f"http://127.0.0.1:8123/commandes/{order.public_id}/" in sent[0].body


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_the_demo_thread_issues_a_due_certificate_with_no_worker(partner):
    order = validated_order(partner)
    with time_machine.travel(ON_THE_DAY):
        beat = BeatInProcess(interval=0.2)
        beat.start()
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not Certificate.objects.filter(order=order).exists():
                time.sleep(0.1)
        finally:
            beat.stop()
            beat.join(timeout=20)
    assert Certificate.objects.filter(order=order).exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_rundemo_starts_the_periodic_tasks_beside_the_server(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    started = []
    monkeypatch.setattr(BeatInProcess, "start", lambda self: started.append(self.interval))
    monkeypatch.setattr(RunserverCommand, "inner_run", lambda self, *args, **options: None)
    RundemoCommand().inner_run(None, beat_every=5.0)
    assert started == [5.0]


def test_rundemo_leaves_the_periodic_tasks_to_beat_when_a_broker_is_configured(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(BeatInProcess, "start", lambda self: pytest.fail("started beside a broker"))
    monkeypatch.setattr(RunserverCommand, "inner_run", lambda self, *args, **options: None)
    RundemoCommand().inner_run(None, beat_every=5.0)


def test_make_demo_serves_with_the_periodic_tasks_and_links_on_its_port():
    dry_run = subprocess.run(
        ["make", "-n", "demo", "PORT=8123", "-o", ".venv/.installed"],
        cwd=ROOT, capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    ).stdout
    serve = dry_run.strip().splitlines()[-1]
    assert "manage.py rundemo 127.0.0.1:8123" in serve
    assert "SITE_URL=http://127.0.0.1:8123" in serve
    assert all("SITE_URL=http://127.0.0.1:8123" in line for line in dry_run.strip().splitlines())


def test_no_thread_is_left_running():
    assert not [thread for thread in threading.enumerate() if isinstance(thread, BeatInProcess)]
