"""The back-office dashboard (issue 19, item 5): its figures on a small known data set, its cache, who sees
what, and charts that are script-free SVG images with their data tables."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from backoffice import selectors
from backoffice.aggregates import percentile_cont
from backoffice.models import LeadTimeMonth
from catalog.models import OrderType
from certificates.models import Certificate
from orders.models import Activation, ActivationStatus, Order, OrderEvent, OrderStatus
from tests.factories_backoffice import submitted_order

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def jit_off() -> int:
    """On PostgreSQL each part of the dashboard is counted in a transaction that turns JIT off: 3 queries."""
    return 3 if connection.vendor == "postgresql" else 0
# A Wednesday: the last of the twelve weeks starts on Monday 15 June, the first on Monday 30 March.
NOW = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=PARIS)


def at(day: int, hour: int = 9, month: int = 6, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_now():
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield
    cache.clear()


def order_submitted(partner, when, *, type_code="NEW_CUSTOMER", status=OrderStatus.SUBMITTED) -> Order:
    order = submitted_order(partner=partner, type_code=type_code)
    Order.objects.filter(pk=order.pk).update(submitted_at=when, status=status)
    order.refresh_from_db()
    return order


def validated(order: Order, when: datetime.datetime) -> None:
    OrderEvent.objects.create(order=order, from_status=OrderStatus.SUBMITTED, to_status=OrderStatus.VALIDATED,
                              created_at=when)


def test_orders_received_per_week_by_type(partner):
    order_submitted(partner, at(16))
    order_submitted(partner, at(17, hour=8))
    order_submitted(partner, at(15, hour=0, minute=30), type_code="ADDITIONAL")  # Monday, just after midnight
    order_submitted(partner, at(14, hour=23, minute=30))  # the Sunday before: the previous week
    order_submitted(partner, at(29, month=3))  # before the twelve weeks
    weekly = selectors.weekly_received(selectors.Period(NOW), "fr")

    assert weekly["weeks"][0] == datetime.date(2026, 3, 30)
    assert weekly["weeks"][-1] == datetime.date(2026, 6, 15)
    assert len(weekly["weeks"]) == 12
    series = dict(weekly["series"])
    new_customer = OrderType.objects.get(code="NEW_CUSTOMER").label
    additional = OrderType.objects.get(code="ADDITIONAL").label
    assert series[new_customer] == [0] * 10 + [1, 2]
    assert series[additional] == [0] * 11 + [1]
    english = dict(selectors.weekly_received(selectors.Period(NOW), "en")["series"])
    assert set(english) == {"New customer", "Additional order"}


def test_backlog_by_calendar_age(partner):
    for hours in (2, 30, 60, 130, 240):
        order_submitted(partner, NOW - datetime.timedelta(hours=hours))
    order_submitted(partner, NOW - datetime.timedelta(hours=300), status=OrderStatus.VALIDATED)  # not waiting
    backlog = selectors.backlog_by_age(selectors.Period(NOW))
    assert [(bucket["key"], bucket["count"]) for bucket in backlog] == [
        ("lt1", 1), ("d1_2", 1), ("d2_5", 1), ("gt5", 2),
    ]


def test_percentile_is_postgresqls_percentile_cont():
    assert percentile_cont([1, 2, 3, 4, 5], 0.5) == 3
    assert percentile_cont([1, 2, 3, 4, 5], 0.9) == pytest.approx(4.6)
    assert percentile_cont([2, 4], 0.9) == pytest.approx(3.8)
    assert percentile_cont([], 0.5) is None


def test_lead_time_per_stage_median_and_p90_per_month(partner):
    for days in (1, 2, 3, 4, 5):
        order = order_submitted(partner, at(10) - datetime.timedelta(days=days), status=OrderStatus.VALIDATED)
        validated(order, at(10))
    may = order_submitted(partner, at(5, month=5), status=OrderStatus.VALIDATED)
    validated(may, at(15, month=5))
    activated = []
    for days in (2, 4):
        order = order_submitted(partner, at(1), status=OrderStatus.ACTIVATED)
        activated.append(Activation.objects.create(
            order=order, status=ActivationStatus.DONE, created_at=at(3), done_at=at(3) + datetime.timedelta(days=days)
        ))
    Certificate.objects.create(order=activated[0].order, kind="licence", number="CERT-1", pdf="certificates/x.pdf",
                               sent_at=activated[0].done_at + datetime.timedelta(hours=36))

    lead = selectors.lead_times(selectors.Period(NOW))
    assert lead["months"][0] == datetime.date(2025, 7, 1)
    assert lead["months"][-1] == datetime.date(2026, 6, 1)
    stages = {stage["key"]: stage["months"] for stage in lead["stages"]}
    june, may_figures = stages["validation"][-1], stages["validation"][-2]
    assert june["median"] == pytest.approx(3, abs=1e-4)
    assert june["p90"] == pytest.approx(4.6, abs=1e-4)
    assert june["count"] == 5
    assert may_figures["median"] == pytest.approx(10, abs=1e-4)
    assert stages["validation"][0] == {"month": datetime.date(2025, 7, 1), "median": None, "p90": None, "count": 0}
    assert stages["activation"][-1]["median"] == pytest.approx(3, abs=1e-4)
    assert stages["activation"][-1]["p90"] == pytest.approx(3.8, abs=1e-4)
    assert stages["certificate"][-1]["median"] == pytest.approx(1.5, abs=1e-4)
    assert stages["certificate"][-1]["count"] == 1


def test_activations_waiting_with_the_oldest_age(partner):
    for status, created in ((ActivationStatus.NOTIFIED, at(10)), (ActivationStatus.PENDING, at(15)),
                            (ActivationStatus.BLOCKED, at(1)), (ActivationStatus.DONE, at(1, month=1))):
        order = order_submitted(partner, created, status=OrderStatus.IN_ACTIVATION)
        Activation.objects.create(order=order, status=status, created_at=created)
    found = selectors.activations_waiting(selectors.Period(NOW))
    assert (found["todo"], found["blocked"]) == (2, 1)
    assert found["oldest_todo_days"] == 7
    assert found["oldest_blocked_days"] == 16


def test_the_figures_are_cached_per_language(partner, django_assert_num_queries):
    order_submitted(partner, at(16))
    # The first time: the types, the weekly counts, the backlog, the kept months (none), then per stage the
    # closed months counted and kept (two queries) and the current month counted.
    with translation.override("fr"), django_assert_num_queries(1 + 1 + 1 + 1 + 3 * 2 + 3 + jit_off()):
        first = selectors.dashboard_section("sales")
    assert LeadTimeMonth.objects.count() == 3 * 11
    with translation.override("fr"), django_assert_num_queries(0):
        assert selectors.dashboard_section("sales") == first
    # In English: counted again (its labels), the closed months read in one query.
    with translation.override("en"), django_assert_num_queries(1 + 1 + 1 + 1 + 3 + jit_off()):
        english = selectors.dashboard_section("sales")
    assert dict(english["weekly"]["series"]) == {"New customer": [0] * 11 + [1]}
    assert selectors.cache_key("sales", "fr") != selectors.cache_key("sales", "en")


@override_settings(BACKOFFICE_DASHBOARD_CACHE_SECONDS=0)
def test_a_zero_timeout_counts_every_time(partner, django_assert_num_queries):
    selectors.dashboard_section("activations")
    with django_assert_num_queries(1 + jit_off()):
        selectors.dashboard_section("activations")


def test_the_sales_administrator_sees_the_dashboard_on_the_admin_index(
    client_for, sales_admin, partner, django_assert_max_num_queries
):
    order_submitted(partner, at(16))
    client = client_for(sales_admin)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("admin:index")).content.decode()
    assert "Tableau de bord" in page
    assert "Activations en attente" in page
    for name in ("commandes-par-semaine", "attente-par-anciennete", "delais-par-etape"):
        assert reverse("backoffice_chart", args=[name]) in page
    # Each chart has its data table, with a caption.
    dashboard = page[page.index('<section class="bo-dashboard"'):page.index("</section>")]
    assert dashboard.count("<table>") == 3
    assert dashboard.count("<caption>") == 3
    assert "15 juin 2026" in page


def test_the_query_count_of_the_index_does_not_grow_and_drops_once_cached(
    client_for, sales_admin, partner, django_assert_max_num_queries
):
    client = client_for(sales_admin)
    client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse("admin:index"))
    cache.clear()
    with CaptureQueriesContext(connection) as counted:
        client.get(reverse("admin:index"))
    for _each in range(5):
        order_submitted(partner, at(16))
        order_submitted(partner, at(10, month=4))
    cache.clear()
    with CaptureQueriesContext(connection) as more_rows:
        client.get(reverse("admin:index"))
    # The figures: the types, the weekly counts, the backlog, the kept months, the current month's 3 stages,
    # the activations; the same with more rows, none once cached.
    assert len(counted) - len(cached) == 8 + 2 * jit_off()
    assert len(more_rows) == len(counted)


def test_the_cloud_team_sees_its_activations_only(client_for, cloud_member):
    client = client_for(cloud_member)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Activations en attente" in page
    assert "backoffice_chart" not in page
    assert "/graphiques/" not in page
    response = client.get(reverse("backoffice_chart", args=["commandes-par-semaine"]))
    assert response.status_code == 403


def test_a_partner_reaches_neither_the_index_nor_a_chart(client_for, partner_admin):
    client = client_for(partner_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("backoffice_chart", args=["commandes-par-semaine"])).status_code == 403


@pytest.mark.parametrize("name", ["commandes-par-semaine", "attente-par-anciennete", "delais-par-etape"])
def test_each_chart_is_an_svg_without_script(client_for, sales_admin, partner, name):
    order_submitted(partner, at(16))
    response = client_for(sales_admin).get(reverse("backoffice_chart", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.lstrip().startswith("<svg")
    assert "<script" not in svg.lower()
    assert "javascript" not in svg.lower()
    assert "script-src 'none'" in response["Content-Security-Policy"]


def test_an_unknown_chart_is_not_found(client_for, sales_admin):
    response = client_for(sales_admin).get(reverse("backoffice_chart", args=["inconnu"]))
    assert response.status_code == 404


def test_the_nightly_task_keeps_the_closed_months_so_the_first_visit_counts_only_the_current_one(
    partner, django_assert_num_queries, time_machine
):
    from backoffice.tasks import keep_closed_months

    time_machine.move_to(NOW)
    order_submitted(partner, at(16))
    assert keep_closed_months() == 3 * 11  # the task run as beat runs it, in this process
    assert LeadTimeMonth.objects.count() == 3 * 11
    # The day's first visit: the types, the weekly counts, the backlog, the kept months, the current month per stage.
    with translation.override("fr"), django_assert_num_queries(1 + 1 + 1 + 1 + 3 + jit_off()):
        selectors.dashboard_section("sales")
