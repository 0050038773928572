"""The site picker inside an order, in a real Chromium (journeys.md, rule 3): only the fitting sites by
default; « Afficher tous les sites » shows the others with their reason, and they cannot be chosen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from catalog.models import Solution
from orders.models import OrderStatus
from sites.models import SiteStatus
from tests.factories import UserFactory
from tests.factories_certs import CertSiteFactory, order_at
from tests.factories_orders import catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(".tmp/pickers")


@pytest.fixture
def picker_user(transactional_db):
    user = UserFactory(email="picker@own.example")
    one_erp, infinity = catalog(Solution, "ONE_ERP"), catalog(Solution, "INFINITY")
    CertSiteFactory(partner=user.partner, number="C777010", company_name="Garage qui convient", solution=one_erp)
    CertSiteFactory(
        partner=user.partner, number="C100013", company_name="Garage fermé", solution=one_erp,
        status=SiteStatus.CLOSED,
    )
    CertSiteFactory(
        partner=user.partner, number="C777020", company_name="Garage infinity",
        generation=infinity.generation, solution=infinity,
    )
    return user


def test_it_refuses_an_unfit_site_in_the_list_and_takes_a_fitting_one(live_server, logged_in_page, picker_user):
    SHOTS.mkdir(parents=True, exist_ok=True)
    order = order_at(
        OrderStatus.DRAFT, partner=picker_user.partner, user=picker_user, lines=[("ONE-ERP-USER", 3)],
        solution_code="ONE_ERP",
    )
    page = logged_in_page(picker_user, next_path=f"/commandes/{order.public_id}/etapes/site/")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="Parcourir").click()
    modal = page.locator("#browse-modal")
    expect(modal).to_be_visible()
    rows = modal.locator("tr.browse-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("C777010")

    # « Afficher tous les sites »: the others, each with its reason, and none of them can be chosen.
    modal.get_by_role("checkbox", name="Afficher tous les sites").check()
    expect(rows).to_have_count(3)
    closed = modal.locator('tr.browse-row[data-browse-value="C100013"]')
    expect(closed).to_have_attribute("aria-disabled", "true")
    expect(closed).to_contain_text("Le site C100013 est fermé.")
    expect(modal.locator('tr.browse-row[data-browse-value="C777020"]')).to_contain_text(
        "la commande porte sur One / Divalto One ERP (étape Produit)."
    )
    page.screenshot(path=str(SHOTS / "site_picker_show_all.png"))
    expect(closed).to_be_disabled()  # aria-disabled: Playwright, like assistive technology, sees it so
    closed.click(force=True)
    closed.dblclick(force=True)
    closed.focus()
    page.keyboard.press("Enter")
    expect(modal).to_be_visible()
    expect(closed).not_to_have_class(re.compile("table-primary"))
    expect(modal.get_by_role("button", name="Valider la sélection")).to_be_disabled()
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")

    fitting = modal.locator('tr.browse-row[data-browse-value="C777010"]')
    fitting.click()
    expect(fitting).to_have_class(re.compile("table-primary"))
    modal.get_by_role("button", name="Valider la sélection").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_site_number")).to_have_value("C777010")
    page.get_by_role("button", name="Suivant").click()
    expect(page).not_to_have_url(re.compile(r"/etapes/site/"))
    order.refresh_from_db()
    assert order.site.number == "C777010"


def test_a_typed_closed_site_is_refused_with_its_reason(live_server, logged_in_page, picker_user):
    order = order_at(
        OrderStatus.DRAFT, partner=picker_user.partner, user=picker_user, lines=[("ONE-ERP-USER", 3)],
        solution_code="ONE_ERP",
    )
    page = logged_in_page(picker_user, next_path=f"/commandes/{order.public_id}/etapes/site/")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.locator("#id_site_number").fill("C100013")
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator(".invalid-feedback", has_text="Le site C100013 est fermé.")).to_be_visible()
    expect(page.get_by_text("Aucun site actif")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "site_step_closed_refused.png"), full_page=True)
