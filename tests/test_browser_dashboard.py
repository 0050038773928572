"""The back-office dashboard in Chromium at 1366×768, in French and in English: its three charts load as
images, nothing breaks the Content-Security-Policy, the page is no wider than the screen. The screenshots
(.tmp/dashboard/) are for a person to look at."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from orders.models import Order, OrderEvent, OrderStatus
from tests.factories_backoffice import submitted_order
from tests.test_browser_console import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parent.parent / ".tmp" / "dashboard"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def orders_of_twelve_weeks(partner):
    now = timezone.now()
    for day in range(0, 84, 3):
        order = submitted_order(partner=partner, type_code="NEW_CUSTOMER" if day % 2 else "ADDITIONAL")
        submitted = now - datetime.timedelta(days=day, hours=5)
        status = OrderStatus.SUBMITTED if day < 12 else OrderStatus.VALIDATED
        Order.objects.filter(pk=order.pk).update(submitted_at=submitted, status=status)
        if status == OrderStatus.VALIDATED:
            OrderEvent.objects.create(order=order, from_status=OrderStatus.SUBMITTED, to_status=status,
                                      created_at=submitted + datetime.timedelta(hours=4 + day % 50))
    cache.clear()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_dashboard_in_chromium(language, live_server, page, logged_in_page, sales_admin, orders_of_twelve_weeks):
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    logged_in_page(sales_admin, "/admin/")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("networkidle")

    charts = page.locator(".bo-dashboard-chart img")
    assert charts.count() == 3
    for position in range(3):
        assert charts.nth(position).evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(".bo-dashboard details table caption").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    violations = page.evaluate("() => window.__cspViolations || []")
    assert problems + violations == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"dashboard-{language}.png"), full_page=True)
