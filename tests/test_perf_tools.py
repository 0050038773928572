"""The load generator of perf/ (make soak, make bench): what it counts must be what the server answered."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from perf import BARE_PATH
from perf.load import login_session, measure_list_vs_bare, run_load
from perf.server import free_port
from tests.factories import PASSWORD


class CountingServer(ThreadingHTTPServer):
    """Answers every request with keep-alive; every third one is a 500. Counts what it answered."""

    daemon_threads = True

    def __init__(self):
        self.answered = 0
        self.failed = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), CountingHandler)


class CountingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        with self.server.lock:
            self.server.answered += 1
            fail = self.server.answered % 3 == 0
            self.server.failed += fail
        body = b"no" if fail else b"ok"
        self.send_response(500 if fail else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def counting_server():
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_it_counts_exactly_the_responses_the_server_gave(counting_server):
    port = counting_server.server_address[1]
    result = run_load(url=f"http://127.0.0.1:{port}/", connections=4, duration_s=1)
    assert result.requests == counting_server.answered > 50
    assert result.errors == {"HTTP 500": counting_server.failed}
    assert result.ok == counting_server.answered - counting_server.failed
    assert len(result.latencies_ms) == result.requests
    assert result.rps == pytest.approx(result.ok / result.duration_s)
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms


def test_it_runs_where_an_event_loop_is_already_running(counting_server):
    # As in the suite after a Playwright test: its sync API leaves a loop running in the main thread.
    port = counting_server.server_address[1]

    async def inside_a_loop():
        return run_load(url=f"http://127.0.0.1:{port}/", connections=1, duration_s=0.3)

    outcome = []
    # A thread of its own: the main thread may hold Playwright's loop already, and asyncio.run would refuse.
    thread = threading.Thread(target=lambda: outcome.append(asyncio.run(inside_a_loop())))
    thread.start()
    thread.join()
    [result] = outcome
    assert result.requests == counting_server.answered > 0


def test_it_counts_a_refused_connection_as_an_error():
    result = run_load(url=f"http://127.0.0.1:{free_port()}/", connections=2, duration_s=0.5)
    assert result.requests > 0
    assert result.errors == {"ConnectionRefusedError": result.requests}
    assert result.rps == 0 and not result.latencies_ms


def test_it_loads_a_django_page_without_errors_and_counts_a_missing_one_as_errors(live_server):
    page = run_load(url=live_server.url + reverse("login"), connections=4, duration_s=1)
    assert page.requests > 0 and page.errors == {}
    missing = run_load(url=live_server.url + "/nulle-part/", connections=4, duration_s=1)
    assert missing.requests > 0
    assert missing.errors == {"HTTP 404": missing.requests}
    assert missing.rps == 0


def test_it_logs_in_through_the_real_form_and_loads_the_order_list_with_the_session(live_server, partner_user):
    cookies = login_session(base_url=live_server.url, email=partner_user.email, password=PASSWORD)
    assert "sessionid" in cookies
    order_list = live_server.url + reverse("order_list")
    logged_in = run_load(url=order_list, connections=2, duration_s=1, cookies=cookies)
    assert logged_in.requests > 0 and logged_in.errors == {}
    anonymous = run_load(url=order_list, connections=2, duration_s=0.5)
    assert anonymous.errors == {"HTTP 302": anonymous.requests}  # sent to the login page
    with pytest.raises(RuntimeError, match="login as"):
        login_session(base_url=live_server.url, email=partner_user.email, password="wrong-password")


def test_it_compares_the_order_list_with_the_bare_view(live_server, partner_user, settings):
    settings.ROOT_URLCONF = "perf.urls"
    cookies = login_session(base_url=live_server.url, email=partner_user.email, password=PASSWORD)
    measured = measure_list_vs_bare(
        base_url=live_server.url, cookies=cookies, list_path=reverse("order_list"), connections=2,
        duration_s=0.5, repeats=2, warmup_s=0.2,
    )
    assert measured["bare_path"] == BARE_PATH
    assert measured["errors"] == 0
    assert measured["list_rps"] > 0 and measured["bare_rps"] > 0
    assert measured["ratio"] == pytest.approx(measured["list_rps"] / measured["bare_rps"])
    assert len(measured["rounds"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_soak_counts_the_in_activation_email_by_the_subject_it_is_sent_with(partner, language):
    from mybusiness.models import OutboxEmail
    from orders import notifications
    from perf.soak import in_activation_subject
    from tests.factories import UserFactory
    from tests.factories_backoffice import submitted_order

    user = UserFactory(partner=partner, language=language)
    order = submitted_order(partner=partner, user=user)
    notifications.notify_in_activation(order_id=order.pk)
    [email] = OutboxEmail.objects.all()
    assert email.subject == in_activation_subject(number=order.number, language=language)


def test_the_bench_scale_scales_every_count_with_floors():
    from perf.seed import FULL, Counts

    assert (FULL.sites, FULL.partners, FULL.large_partner_rows) == (1_000_000, 2_000, 50_000)
    assert FULL.opportunities == 200_000
    one_percent = Counts.at(0.01)
    assert (one_percent.sites, one_percent.orders, one_percent.partners) == (10_000, 10_000, 20)
    assert one_percent.large_partner_rows == 500
    tiny = Counts.at(0.000001)
    assert tiny.orders >= 400  # B8 takes 20 submitted orders; one in 20 is submitted
    assert tiny.large_partner_rows < tiny.sites and tiny.partners >= 2
    with pytest.raises(ValueError):
        Counts.at(0)


@pytest.mark.django_db
def test_the_bench_seed_fills_the_current_models():
    """make bench seeds with raw SQL: a model change it does not follow (a new NOT NULL column, say)
    fails here, not in the next benchmark run."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the bench seed is PostgreSQL SQL: runs when DATABASE_URL is a PostgreSQL")
    from mybusiness.models import User
    from opportunities.models import Opportunity
    from orders.models import Order, OrderLine
    from perf import seed
    from sites.models import Site

    counts = seed.Counts.at(0.0001)
    assert seed.seed(counts=counts, out=lambda _line: None, force=True)
    assert Site.objects.count() == counts.sites
    assert Order.objects.count() == counts.orders
    assert OrderLine.objects.count() == 2 * counts.orders
    assert Opportunity.objects.count() == counts.opportunities
    partner_user = User.objects.get(email=seed.LARGE_PARTNER_USER)
    assert Site.objects.filter(partner=partner_user.partner).count() == counts.large_partner_rows
    # Every seeded row reads back through the models (each column the seed left to its database default).
    assert len(list(User.objects.all())) == counts.partners + 3
    assert list(Order.objects.order_by("id")[:5]) and list(Site.objects.order_by("-id")[:5])
    with connection.cursor() as cursor:
        assert seed.seeded_as(cursor) == {"scale": 0.0001, "schema": seed.schema_version()}
