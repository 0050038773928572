"""The soak run (``make soak``, or ``scripts/with-services.sh python -m perf.soak``): R6 and R3–R5 at volume.

It needs PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL). On that PostgreSQL server it
(re)creates a database of its own (``soak``, or PERF_SOAK_DB), migrates it, runs ``seed_demo`` and
adds a few thousand orders for the demo partner, then:

* R6 — 60 s of load at 32 connections on the demo partner's order list, logged in through the
  login form, under gunicorn with production settings: 0 errors (any non-200 or failed connection);
* R3 — many orders each submitted twice at once, then validated twice at once, through the real
  services: exactly one transition, one event and the emails of one transition per order;
* R4 — orders validated while the Redis broker is stopped, a real Celery worker running: once the
  broker is back, the sweep (run every 2 s here instead of beat's minute) delivers every hand-off once;
* R12, R13 — the login lockout and a company's deactivation, at once across gunicorn's processes
  (``perf.soak_trust``);
* R5 — the worker SIGKILLed again and again while hand-offs flow: each delivered exactly once, and
  the partner's « en activation » email of each order (from the email outbox) sent once, none lost.

"Delivered" is what tests/test_handoff.py observes: the Activation notified with
``notification_count == 1``, the order in activation with one such event, and one email to the cloud
team, counted in the files that every process writes its emails to (``perf.mail``). The other emails
leave through the outbox (``mybusiness.emails``): R4 and R5 wait until it holds nothing unsent.
A table of checks ends the run; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from perf.processes import CeleryWorker, RedisServer, Sweeper, wait_for
from perf.soak_setup import (
    DEMO_PARTNER_USER,
    DEMO_PASSWORD,
    DEMO_SALES_ADMIN,
    complete_drafts,
    configure_environment,
    deliver_outbox_here,
    demo_user,
    emails_by_number,
    emails_by_subject,
    recreate_database,
    say,
    seed,
    wait_outbox_sent,
)

ORDER_LIST_PATH = "/commandes/"


@dataclass
class Check:
    name: str
    target: str
    happened: str
    held: bool


# ---------------------------------------------------------------------------
# R6: the order list under load.


def check_r6(*, database_url: str, seconds: float, connections: int, workers: int | None) -> Check:
    import urllib.request

    from perf.load import login_session, run_load
    from perf.server import gunicorn_server

    target = f"{seconds:.0f} s at {connections} connections on the order list: 0 errors"
    with gunicorn_server(database_url=database_url, workers=workers) as server:
        cookies = login_session(base_url=server.url, email=DEMO_PARTNER_USER, password=DEMO_PASSWORD)
        # The page under load is the partner's list, with the seeded orders on it.
        request = urllib.request.Request(  # noqa: S310 (loopback)
            server.url + ORDER_LIST_PATH, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            page = response.read().decode()
        if "CMD-2020-" not in page:
            return Check("R6 order list under load", target, "the list did not show the seeded orders", False)
        say(f"R6: gunicorn ({server.workers} workers) at {server.url}; {connections} connections for {seconds:.0f} s")
        result = run_load(url=server.url + ORDER_LIST_PATH, connections=connections, duration_s=seconds,
                          cookies=cookies)
        say(f"R6: {result.summary()}")
        if result.error_count:
            say(f"R6: server log (tail):\n{server.log()[-3000:]}")
    happened = (
        f"{result.requests} requests, {result.rps:.1f} req/s, p50 {result.p50_ms:.0f} ms, "
        f"p95 {result.p95_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, {result.error_count} errors"
        + (f" ({result.errors})" if result.errors else "")
    )
    return Check("R6 order list under load", target, happened, result.requests > 0 and result.error_count == 0)


# ---------------------------------------------------------------------------
# R3: submitted twice at once, validated twice at once.


def check_r3(*, orders: int, mail_dir: Path, parallel: int = 4) -> Check:
    from django.conf import settings

    from orders.models import Order, OrderEvent, OrderStatus
    from orders.services.review import order_validate
    from orders.services.submission import order_submit
    from tests.concurrency import at_once

    target = "each order submitted ×2 and validated ×2 at once: 1 transition, 1 event, 1 email each"
    started = time.monotonic()
    drafts = complete_drafts(count=orders, lines=(("ONE-ERP-USER", 3),))  # no cloud activation: no hand-off
    say(f"R3: {len(drafts)} complete drafts ready ({time.monotonic() - started:.0f} s)")

    def submit_twice(order_id: int) -> list:
        def submit():
            return order_submit(order=Order.objects.get(pk=order_id), user=demo_user(DEMO_PARTNER_USER))

        return at_once(submit, times=2)

    def validate_twice(order_id: int) -> list:
        def validate():
            return order_validate(order=Order.objects.get(pk=order_id), user=demo_user(DEMO_SALES_ADMIN))

        return at_once(validate, times=2)

    def winners_and_losers(outcomes: list) -> tuple[int, Counter]:
        won = sum(isinstance(outcome, Order) for outcome in outcomes)
        return won, Counter(outcome for outcome in outcomes if not isinstance(outcome, Order))

    ids = [order.pk for order in drafts]
    problems: list[str] = []
    refusals: Counter = Counter()
    for label, action in (("submission", submit_twice), ("validation", validate_twice)):
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            for order_id, outcomes in zip(ids, pool.map(action, ids), strict=True):
                won, lost = winners_and_losers(outcomes)
                refusals.update(lost)
                if won != 1:
                    problems.append(f"order {order_id}: {label} succeeded {won} times ({outcomes})")
    elapsed = time.monotonic() - started

    events = Counter(
        OrderEvent.objects.filter(order_id__in=ids).values_list("order_id", "to_status")
    )
    partner_email = DEMO_PARTNER_USER
    sent_here = deliver_outbox_here()
    mails = emails_by_number(mail_dir)
    for order in Order.objects.filter(pk__in=ids):
        if order.status != OrderStatus.VALIDATED:
            problems.append(f"{order.number or order.pk}: status {order.status}")
        for status in (OrderStatus.SUBMITTED, OrderStatus.VALIDATED):
            if events[(order.pk, status)] != 1:
                problems.append(f"{order.number}: {events[(order.pk, status)]} events to {status}")
        # Submission: one email to sales administration, one to the partner; validation: one to the partner.
        if mails[(order.number, settings.SALES_ADMIN_EMAIL)] != 1:
            problems.append(f"{order.number}: {mails[(order.number, settings.SALES_ADMIN_EMAIL)]} emails to ADV")
        if mails[(order.number, partner_email)] != 2:
            problems.append(f"{order.number}: {mails[(order.number, partner_email)]} emails to the partner (want 2)")
    happened = (
        f"{orders} orders, {2 * orders} pairs of concurrent calls in {elapsed:.0f} s; "
        f"losers refused with {dict(refusals)}; {sent_here} emails sent from the outbox (seed_demo's too); "
        + (f"{len(problems)} problems: {problems[:3]}" if problems else "1 transition, 1 event, 1 email each")
    )
    return Check("R3 twice at once", target, happened, not problems)


# ---------------------------------------------------------------------------
# R4 and R5: hand-offs through the real broker and worker.


def submitted_cloud_orders(count: int) -> list:
    from orders.services.submission import order_submit
    from tests.factories_backoffice import CLOUD_LINES

    user = demo_user(DEMO_PARTNER_USER)
    drafts = complete_drafts(count=count, lines=CLOUD_LINES)
    return [order_submit(order=draft, user=user) for draft in drafts]


def handoff_state(order_ids: list[int], mail_dir: Path) -> dict:
    """What the cloud team got for each order: notifications, events and emails; and the partner's
    « en activation » emails, counted by their exact subject in the partner's language."""
    from django.conf import settings

    from orders.models import Activation, Order, OrderEvent, OrderStatus

    numbers = dict(Order.objects.filter(pk__in=order_ids).values_list("pk", "number"))
    partner = demo_user(DEMO_PARTNER_USER)
    by_subject = emails_by_subject(mail_dir)
    activations = {a.order_id: a for a in Activation.objects.filter(order_id__in=order_ids)}
    events = Counter(
        OrderEvent.objects.filter(order_id__in=order_ids, to_status=OrderStatus.IN_ACTIVATION).values_list(
            "order_id", flat=True
        )
    )
    mails = emails_by_number(mail_dir)
    return {
        order_id: {
            "number": numbers[order_id],
            "notified": activations.get(order_id) is not None and activations[order_id].notified_at is not None,
            "count": activations[order_id].notification_count if order_id in activations else None,
            "events": events[order_id],
            "cloud_mails": mails[(numbers[order_id], settings.CLOUD_TEAM_EMAIL)],
            "in_activation_mails": by_subject[
                (partner.email, in_activation_subject(number=numbers[order_id], language=partner.language))
            ],
        }
        for order_id in order_ids
    }


def in_activation_subject(*, number: str, language: str) -> str:
    """The subject of the partner's « en activation » email about order ``number``, as it is sent."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from mybusiness.emails import TEXT_ENGINE

    with translation.override(language):
        subject = render_to_string(
            "orders/emails/in_activation_partner_subject.txt", {"order": {"number": number}}, using=TEXT_ENGINE
        )
    return " ".join(subject.split())


def partner_in_activation_mails(state: dict) -> int:
    """How many orders the partner was told once that they are in activation (from the worker, via the outbox)."""
    return sum(row["in_activation_mails"] == 1 for row in state.values())


def in_activation_problems(state: dict) -> list[str]:
    return [
        f"{row['number']}: {row['in_activation_mails']} 'in activation' emails to the partner"
        for row in state.values()
        if row["in_activation_mails"] != 1
    ]


def exactly_once_problems(state: dict) -> list[str]:
    problems = []
    for row in state.values():
        if not row["notified"] or row["count"] != 1 or row["events"] != 1 or row["cloud_mails"] != 1:
            problems.append(
                f"{row['number']}: notified={row['notified']} count={row['count']} "
                f"events={row['events']} cloud emails={row['cloud_mails']}"
            )
    return problems


def wait_delivered(order_ids: list[int], *, timeout: float) -> float:
    from orders.models import Activation

    started = time.monotonic()
    wait_for(
        lambda: Activation.objects.filter(order_id__in=order_ids, notified_at__isnull=False).count() == len(order_ids),
        timeout=timeout, interval=0.5, what="every hand-off delivered",
    )
    return time.monotonic() - started


class CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1


def check_r4(*, orders: int, redis: RedisServer, worker: CeleryWorker, mail_dir: Path, timeout: float) -> Check:
    from orders.models import Activation, ActivationStatus
    from orders.services.review import order_validate

    target = "orders validated while the broker is down: every hand-off delivered once it is back"
    submitted = submitted_cloud_orders(orders)
    ids = [order.pk for order in submitted]
    admin = demo_user(DEMO_SALES_ADMIN)
    # The submissions' emails leave through the worker: let it finish them first. kombu's Redis transport
    # crashes the worker ("Unrecoverable error: AttributeError ... 'hostname'") when the broker goes away
    # while it holds an unacknowledged message; R4 is about validating with the broker down, not that.
    wait_for(lambda: not redis.holds_messages(), timeout=timeout, interval=0.5, what="the worker idle")
    say(f"R4: {len(ids)} submitted cloud orders; stopping the broker (worker running, idle)")

    # The hand-offs' and the outbox emails' publishes fail: one line each would fill the screen, counted instead.
    publish_logger = logging.getLogger("mybusiness.celery")
    not_queued = CountingHandler()
    publish_logger.addHandler(not_queued)
    publish_logger.propagate = False
    redis.stop()
    try:
        started = time.monotonic()
        for order in submitted:
            order_validate(order=order, user=admin)
        validate_s = time.monotonic() - started
    finally:
        publish_logger.removeHandler(not_queued)
        publish_logger.propagate = True
        redis.start()
    pending = Activation.objects.filter(order_id__in=ids, status=ActivationStatus.PENDING).count()
    say(f"R4: {orders} validated in {validate_s:.0f} s with the broker down ({not_queued.count} publishes failed, "
        f"{pending} hand-offs pending); broker back, sweeping every 2 s")
    problems: list[str] = []
    try:
        with Sweeper() as sweeper:
            delivered_s = wait_delivered(ids, timeout=timeout)
            emptied_s = wait_outbox_sent(timeout=timeout)
            time.sleep(6)  # hand-offs queued twice (sweep and retry) run again meanwhile: they must change nothing
        summary = (
            f"all delivered {delivered_s:.0f} s after the broker came back, the outbox sent {emptied_s:.0f} s "
            f"later ({sweeper.published} sweeps)"
        )
    except TimeoutError as error:
        summary = str(error)
        say(f"R4: worker log (tail):\n{worker.log()[-3000:]}")
    state = handoff_state(ids, mail_dir)
    problems = exactly_once_problems(state)
    happened = (
        f"{orders} validated with the broker down ({not_queued.count} hand-offs and emails could not be queued, "
        f"{pending} hand-offs left pending); "
        f"{summary}; " + (f"{len(problems)} problems: {problems[:3]}" if problems else "each notified once, 1 email")
        + f"; partner 'in activation' emails: {partner_in_activation_mails(state)} of {orders} sent once"
    )
    return Check("R4 broker down", target, happened, not problems and pending == orders)


def check_r5(*, orders: int, kills: int, worker: CeleryWorker, mail_dir: Path, timeout: float) -> Check:
    from orders.services.review import order_validate

    target = (
        "worker SIGKILLed repeatedly during hand-offs: each delivered exactly once after restart, "
        "and each partner 'in activation' email sent once"
    )
    submitted = submitted_cloud_orders(orders)
    ids = [order.pk for order in submitted]
    admin = demo_user(DEMO_SALES_ADMIN)
    say(f"R5: {len(ids)} submitted cloud orders; validating them while the worker is killed {kills} times")

    failures: list[str] = []

    def validate_all() -> None:
        from django.db import connections

        try:
            for order in submitted:
                order_validate(order=order, user=admin)
                time.sleep(0.15)
        except Exception as error:  # reported in the check's result
            failures.append(f"validation failed: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    mid_send = 0
    rng = random.Random(9)
    validating = threading.Thread(target=validate_all)
    problems: list[str] = []
    with Sweeper() as sweeper:
        validating.start()
        for _ in range(kills):
            time.sleep(rng.uniform(1.0, 3.0))
            if any(mail_dir.glob("sending-*")):
                mid_send += 1
            worker.kill()
            for marker in mail_dir.glob("sending-*"):
                marker.unlink(missing_ok=True)
            worker.start()
        validating.join()
        try:
            delivered_s = wait_delivered(ids, timeout=timeout)
            emptied_s = wait_outbox_sent(timeout=timeout)
            # A killed worker's message comes back after the visibility timeout (10 s): let it run, change nothing.
            time.sleep(12)
            summary = (
                f"all delivered {delivered_s:.0f} s after the last validation, the outbox sent {emptied_s:.0f} s later"
            )
        except TimeoutError as error:
            summary = str(error)
            say(f"R5: worker log (tail):\n{worker.log()[-3000:]}")
    state = handoff_state(ids, mail_dir)
    problems = failures + exactly_once_problems(state) + in_activation_problems(state)
    happened = (
        f"{orders} hand-offs, {kills} kills ({mid_send} in the middle of a send), {sweeper.published} sweeps; "
        f"{summary}; "
        + (f"{len(problems)} problems: {problems[:3]}" if problems else "each notified once, 1 cloud email each")
        + f"; partner 'in activation' emails: {partner_in_activation_mails(state)} of {orders} sent once"
    )
    return Check("R5 worker killed", target, happened, not problems)


# ---------------------------------------------------------------------------
# The run.


def print_table(checks: list[Check]) -> None:
    print()
    print(f"{'check':<26} {'verdict':<7} target / what happened")
    print("-" * 120)
    for check in checks:
        print(f"{check.name:<26} {'HELD' if check.held else 'FAILED':<7} target: {check.target}")
        print(f"{'':<34} happened: {check.happened}")
    print("-" * 120)
    failed = [c.name for c in checks if not c.held]
    print(f"{len(checks) - len(failed)} held, {len(failed)} failed" + (f": {', '.join(failed)}" if failed else ""))


def with_worker(worker: CeleryWorker, call: Callable[[], Check]) -> Check:
    worker.start()
    try:
        return call()
    finally:
        worker.stop()


def run_check(checks: list[Check], name: str, target: str, call: Callable[[], Check]) -> None:
    started = time.monotonic()
    try:
        check = call()
    except Exception as error:  # a check that crashed has failed; the others still run
        logging.getLogger(__name__).exception("%s crashed", name)
        check = Check(name, target, f"crashed: {type(error).__name__}: {error}", False)
    say(f"{check.name}: {'HELD' if check.held else 'FAILED'} ({time.monotonic() - started:.0f} s)")
    checks.append(check)


def run_trust_checks(checks: list[Check], *, only: set[str], database_url: str, broker_url: str, args) -> None:
    """R12 and R13 (perf.soak_trust) against one gunicorn behind a pretend proxy, the throttles counted in Redis."""
    from perf.server import gunicorn_server
    from perf.soak_trust import check_r12, check_r13, trust_env

    cache_url = broker_url.rsplit("/", 1)[0] + "/1"
    with gunicorn_server(database_url=database_url, workers=args.workers, env=trust_env(cache_url)) as server:
        def as_check(name: str, target: str, outcome: tuple[bool, str]) -> Check:
            held, happened = outcome
            return Check(name, target, happened, held)

        if "R12" in only:
            target = "one lock per account, a cap per address, resets throttled, at once across processes"
            run_check(checks, "R12 lockout at once", target, lambda: as_check(
                "R12 lockout at once", target, check_r12(base_url=server.url, connections=args.connections)))
        if "R13" in only:
            target = "no page after the company's deactivation, old sessions out after reactivation, data kept"
            run_check(checks, "R13 deactivation under load", target, lambda: as_check(
                "R13 deactivation under load", target,
                check_r13(base_url=server.url, connections=min(args.connections, 8), seconds=args.r13_seconds)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perf.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="R6,R3,R4,R5,R12,R13", help="checks to run, e.g. R3,R5")
    parser.add_argument("--seed-orders", type=int, default=3000, help="orders of the demo partner (bulk)")
    parser.add_argument("--r6-seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2 × cores)")
    parser.add_argument("--r3-orders", type=int, default=100)
    parser.add_argument("--r4-orders", type=int, default=50)
    parser.add_argument("--r5-orders", type=int, default=40)
    parser.add_argument("--r5-kills", type=int, default=5)
    parser.add_argument("--r13-seconds", type=float, default=6)
    parser.add_argument("--timeout", type=float, default=90, help="seconds to wait for deliveries, per check")
    args = parser.parse_args(argv)
    only = {name.strip().upper() for name in args.only.split(",")}

    database_url, broker_url = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not broker_url:
        print("perf.soak needs PostgreSQL and Redis: run it as `make soak` (scripts/with-services.sh).",
              file=sys.stderr)
        return 2
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="mybusiness-soak-"))
    mail_dir = work / "mails"
    mail_dir.mkdir()
    name = os.environ.get("PERF_SOAK_DB", "soak")
    url = recreate_database(database_url, name)
    configure_environment(database_url=url, mail_dir=mail_dir)
    say(f"database {name} on {urlsplit(url).hostname}:{urlsplit(url).port}, broker {broker_url}, files in {work}")

    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "perf.settings"
    django.setup()
    from mybusiness.celery import app

    app.conf.broker_url = broker_url
    seed(orders=args.seed_orders)

    checks: list[Check] = []
    if "R6" in only:
        run_check(checks, "R6 order list under load", "0 errors", lambda: check_r6(
            database_url=url, seconds=args.r6_seconds, connections=args.connections, workers=args.workers))
    if {"R12", "R13"} & only:
        run_trust_checks(checks, only=only, database_url=url, broker_url=broker_url, args=args)
    if "R3" in only:
        run_check(checks, "R3 twice at once", "1 transition, 1 event, 1 email",
                  lambda: check_r3(orders=args.r3_orders, mail_dir=mail_dir))

    if {"R4", "R5"} & only:
        port, directory = os.environ.get("MYBUSINESS_REDIS_PORT"), os.environ.get("MYBUSINESS_REDIS_DIR")
        private_redis = None
        if port and directory:
            redis = RedisServer(port=int(port), directory=directory)
        else:  # a broker we may not stop: a private one for these two checks
            from perf.server import free_port

            redis = private_redis = RedisServer(port=free_port(), directory=str(work))
            redis.start()
            broker_url = f"redis://127.0.0.1:{redis.port}/0"
            app.conf.broker_url = broker_url
        worker_env = {
            **os.environ, "CELERY_BROKER_URL": broker_url, "PERF_FAST_REDELIVERY": "true", "PYTHONUNBUFFERED": "1",
        }
        try:
            if "R4" in only:
                worker = CeleryWorker(directory=work, env=worker_env)
                run_check(checks, "R4 broker down", "every hand-off delivered once", lambda: with_worker(
                    worker, lambda: check_r4(orders=args.r4_orders, redis=redis, worker=worker, mail_dir=mail_dir,
                                             timeout=args.timeout)))
                redis.start()  # whatever happened in R4
            if "R5" in only:
                # Each email takes 0.2 s in the worker: long enough for some kills to land inside a hand-off.
                worker = CeleryWorker(directory=work, env={**worker_env, "PERF_MAIL_DELAY_S": "0.2"})
                run_check(checks, "R5 worker killed", "delivered exactly once", lambda: with_worker(
                    worker, lambda: check_r5(orders=args.r5_orders, kills=args.r5_kills, worker=worker,
                                             mail_dir=mail_dir, timeout=args.timeout)))
        finally:
            if private_redis is not None:
                private_redis.stop()

    held = bool(checks) and all(check.held for check in checks)
    if held:
        shutil.rmtree(work, ignore_errors=True)
    say(f"soak done in {time.monotonic() - started:.0f} s" + ("" if held else f" (logs and emails kept in {work})"))
    print_table(checks)
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
