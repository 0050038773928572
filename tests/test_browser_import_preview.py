"""The admin's import preview in Chromium at 1366×768: each refused row's reason is on screen in its row
(django-import-export shows it on hover only), and the sixteen columns fit the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOT = Path(__file__).resolve().parent.parent / ".tmp" / "import-preview.png"
CSV = (
    "number;partner;company_name;siret;vat_number;naf_code;address;postal_code;city;country;phone;email;"
    "hosting;generation;solution;status\n"
    "C300001;OWN;Boulangerie Martin;73282932000074;;;1 rue Neuve;69003;Lyon;FR;;;saas;ONE;ONE_ERP;active\n"
    "C300003;OWN;Mauvais SIRET;73282932000075;;;;69003;Lyon;FR;;;saas;;;\n"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


def test_a_refused_rows_reason_shows_in_its_row(logged_in_page, sales_admin, tmp_path):
    PartnerFactory(code="OWN")
    upload = tmp_path / "sites.csv"
    upload.write_text(CSV, encoding="utf-8")
    page = logged_in_page(sales_admin, next_path="/admin/customer_sites/site/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.locator("input[type=submit]").last.click()
    reason = page.locator(".import-preview .validation-error-container").first
    expect(reason).to_contain_text("SIRET")
    # On screen without hovering: Playwright counts a transparent element as visible, the reader does not.
    assert reason.evaluate("node => getComputedStyle(node).opacity") == "1"
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    SHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOT), full_page=True)
