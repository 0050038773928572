"""The soak's ground (``perf.soak``): its own database and production-like environment, the seed
data (the demo, plus thousands of the demo partner's orders), and what every process emailed."""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from perf.processes import wait_for
from perf.server import PRODUCTION_LIKE_ENV

DEMO_PARTNER_USER = "partner@demo.example"
DEMO_SALES_ADMIN = "adv@demo.example"
DEMO_PASSWORD = "demo1234"  # mybusiness.demo.DEMO_PASSWORD (imported before Django is set up)
ORDER_NUMBER = re.compile(r"CMD-\d{4}-\d{6}")


def say(text: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S', time.gmtime())}Z] {text}", flush=True)


# ---------------------------------------------------------------------------
# Environment: a database of the soak's own, production-like settings, emails to files.


def soak_database_url(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/" + name))


def recreate_database(database_url: str, name: str) -> str:
    import psycopg

    parts = urlsplit(database_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return soak_database_url(database_url, name)


def configure_environment(*, database_url: str, mail_dir: Path) -> None:
    os.environ.update(PRODUCTION_LIKE_ENV)
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "EMAIL_BACKEND": "perf.mail.SoakFileBackend",
            "PERF_MAIL_DIR": str(mail_dir),
            # A hand-off, or an outbox email, still pending 5 s after it was queued is queued again by the sweep.
            "HANDOFF_SWEEP_AFTER_SECONDS": "5",
            "OUTBOX_SWEEP_AFTER_SECONDS": "5",
        }
    )
    os.environ.pop("PERF_MAIL_DELAY_S", None)


# ---------------------------------------------------------------------------
# Seeding.


def seed(*, orders: int) -> None:
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    partner_user = demo_user(DEMO_PARTNER_USER)
    created = seed_partner_orders(partner=partner_user.partner, user=partner_user, count=orders)
    say(f"seeded: migrations, seed_demo, {created} orders for {partner_user.partner} "
        f"({time.monotonic() - started:.0f} s)")


def demo_user(email: str):
    from mybusiness.models import User

    return User.objects.select_related("partner").get(email=email)


def seed_partner_orders(*, partner, user, count: int, batch_size: int = 1000) -> int:
    """``count`` orders of ``partner`` in every status, with a line and an event each (bulk inserts).

    Their numbers are of year 2020, away from the current year's counter that submissions draw from.
    """
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
    from orders.models import Order, OrderEvent, OrderLine, OrderStatus

    order_type, origin = OrderType.objects.get(code="NEW_CUSTOMER"), Origin.objects.get(code="NEW_SITE")
    generation, solution = Generation.objects.get(code="ONE"), Solution.objects.get(code="ONE_ERP")
    reference = ProductReference.objects.get(code="ONE-ERP-USER")
    statuses = [s for s in OrderStatus.values if s != OrderStatus.DRAFT]
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for start in range(0, count, batch_size):
            rows = []
            for index in range(start, min(count, start + batch_size)):
                when = now - timedelta(days=7) - timedelta(minutes=37 * index)
                rows.append(
                    Order(
                        partner=partner, created_by=user, status=statuses[index % len(statuses)],
                        number=f"CMD-2020-{index + 1:06d}", created_at=when, updated_at=when, submitted_at=when,
                        order_type=order_type, origin=origin, generation=generation, solution=solution,
                        customer_name=f"Client Soak {index + 1:05d}",
                        new_site_company_name=f"Client Soak {index + 1:05d}",
                        new_site_city="Lyon", new_site_postal_code="69003",
                    )
                )
            saved = Order.objects.bulk_create(rows)
            OrderLine.objects.bulk_create(
                OrderLine(order=order, reference=reference, quantity=1 + order.pk % 9) for order in saved
            )
            OrderEvent.objects.bulk_create(
                OrderEvent(order=order, actor=user, created_at=order.created_at, from_status=OrderStatus.DRAFT,
                           to_status=OrderStatus.SUBMITTED, message="Commande soumise.")
                for order in saved
            )
            created += len(saved)
    return created


def complete_drafts(*, count: int, lines) -> list:
    """Drafts of the demo partner ready to submit (the suite's own factories)."""
    from tests.factories_steps import complete_draft

    user = demo_user(DEMO_PARTNER_USER)
    return [complete_draft(partner=user.partner, user=user, lines=lines) for _ in range(count)]


def emails_by_subject(mail_dir: Path) -> Counter:
    """(recipient, subject) → how many such emails were sent."""
    from perf.mail import read_sent

    return Counter(read_sent(mail_dir))


def deliver_outbox_here() -> int:
    """Send what the email outbox holds, in this process: a worker's job, but none runs during R3."""
    from mybusiness.emails import email_deliver
    from mybusiness.models import OutboxEmail, OutboxStatus

    pending = OutboxEmail.objects.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True)
    return sum(email_deliver(email_id=email_id) for email_id in list(pending))


def wait_outbox_sent(*, timeout: float) -> float:
    """Wait until the worker has sent every email of the outbox (none pending, none given up)."""
    from mybusiness.models import OutboxEmail, OutboxStatus

    started = time.monotonic()
    wait_for(
        lambda: not OutboxEmail.objects.exclude(status=OutboxStatus.SENT).exists(),
        timeout=timeout, interval=0.5, what="every email of the outbox sent",
    )
    return time.monotonic() - started


def emails_by_number(mail_dir: Path) -> Counter:
    """(order number, recipient) → how many emails about that order that recipient got."""
    from perf.mail import read_sent

    counts: Counter = Counter()
    for recipient, subject in read_sent(mail_dir):
        for number in set(ORDER_NUMBER.findall(subject)):
            counts[(number, recipient)] += 1
    return counts
