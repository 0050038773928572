"""Rule 8 of journeys.md: zero errors in the browser console, Content-Security-Policy included, on the
pages that update in place (the browse modal of the wizard's site step, header filters, the column
chooser, the site popup, the pager) — in headless Chromium at 1366×768."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.factories_orders import draft_with_product
from tests.factories_sites import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parent.parent / ".tmp" / "console"
# Recorded by the page itself: a CSP refusal fires this event even where Chromium logs nothing.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile);
});
"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def console(page):
    """Every console error, page error and CSP violation of the page, as text (the test asserts it empty)."""
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)

    def collected() -> list[str]:
        violations = page.evaluate("() => window.__cspViolations || []")
        return problems + [f"csp: {violation}" for violation in violations]

    return collected


@pytest.fixture
def clerk(transactional_db):
    user = UserFactory(email="console@own.example")
    SiteFactory.create_batch(30, partner=user.partner)
    SiteFactory(partner=user.partner, number="C777001", company_name="Boulangerie Lumière", city="Annecy")
    SiteFactory(partner=user.partner, number="C777002", company_name="Brasserie Lumière", city="Brest")
    return user


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_the_site_steps_browse_modal_logs_no_console_error(live_server, logged_in_page, clerk, console):
    order = draft_with_product(partner=clerk.partner, user=clerk, type_code="ADDITIONAL", origin_code="EXISTING_SITE")
    page = logged_in_page(clerk, next_path=f"/commandes/{order.public_id}/etapes/site/")
    page.get_by_role("button", name="Parcourir").click()
    modal = page.locator("#browse-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("tr.browse-row").first).to_be_visible()

    # The pager, sorting and header filters (htmx swaps, indicators shown while the answer travels).
    modal.locator("#browse-sites-page-next").click()
    expect(modal.locator("#browse-sites-pager")).to_contain_text("Page 2")
    modal.locator("[data-browse-sort=city]").click()
    expect(modal.locator("#browse-sites-pager")).to_contain_text("Page 1")
    modal.locator("#browse-sites-filter-company_name").fill("lumi")
    expect(modal.locator("tr.browse-row")).to_have_count(2)
    expect(modal.locator("tr.browse-row").first).to_contain_text("Annecy")

    # The gear's column chooser.
    modal.locator("[data-browse-gear]").click()
    modal.get_by_role("checkbox", name="Ville").uncheck()
    modal.locator("[data-browse-columns-apply]").click()
    expect(modal.locator("th", has_text="Ville")).to_have_count(0)
    shot(page, "site-step-browse-modal")

    # The site popup above the list, closed, then a pick handed to the step.
    modal.locator("#browse-sites-filter-company_name").fill("brasserie")
    expect(modal.locator("tr.browse-row")).to_have_count(1)
    modal.get_by_role("link", name="C777002").click()
    detail = page.locator("#browse-detail-modal")
    expect(detail).to_be_visible()
    expect(detail).to_have_class(re.compile(r"\bshow\b"))
    page.wait_for_timeout(400)  # the fade-in, for the screenshot only
    shot(page, "site-popup")
    page.keyboard.press("Escape")
    expect(detail).to_be_hidden()
    modal.locator("tr.browse-row").click()
    modal.get_by_role("button", name="Valider la sélection").click()
    expect(modal).to_be_hidden()
    expect(page.get_by_test_id("selected-site")).to_contain_text("Brasserie Lumière")
    shot(page, "site-step-picked")
    problems = console()
    assert problems == [], "\n".join(problems)


def test_the_site_list_and_order_list_log_no_console_error(live_server, logged_in_page, clerk, console):
    draft_with_product(partner=clerk.partner, user=clerk)
    page = logged_in_page(clerk, next_path="/sites/")
    page.locator("#browse-sites-filter-city").fill("bres")
    expect(page.locator("tr.browse-row")).to_have_count(1)
    page.locator("[data-browse-gear]").click()
    page.get_by_role("checkbox", name="Ville").uncheck()
    page.locator("[data-browse-columns-apply]").click()
    expect(page.locator("th", has_text="Ville")).to_have_count(0)
    shot(page, "site-list")

    page.goto(f"{live_server.url}/commandes/")
    page.get_by_role("search").get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"/commandes/\?"))
    shot(page, "order-list")
    page.goto(f"{live_server.url}/")
    shot(page, "home")
    problems = console()
    assert problems == [], "\n".join(problems)


def test_the_console_listener_catches_an_inline_style(live_server, logged_in_page, clerk, console):
    """The check can fail: an inline style attribute is refused by the CSP and reported."""
    page = logged_in_page(clerk, next_path="/")
    page.evaluate("() => { document.querySelector('main').innerHTML += '<p style=\"color: red\">x</p>'; }")
    page.wait_for_timeout(200)
    assert any("style-src" in problem or "Content Security Policy" in problem for problem in console())


def test_the_back_office_logs_no_console_error(live_server, logged_in_page, clerk, console, sales_admin):
    """The admin's pages name an icon (templates/admin/base_site.html): no /favicon.ico 404."""
    from tests.factories_backoffice import submitted_order

    order = submitted_order(partner=clerk.partner, user=clerk)
    page = logged_in_page(sales_admin, next_path="/admin/")
    for path in ("/admin/", "/admin/orders/order/", f"/admin/orders/order/{order.pk}/change/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content")).to_be_visible()
    shot(page, "admin-order")
    problems = console()
    assert problems == [], "\n".join(problems)
