"""The browse component and the change request in a real Chromium (htmx, Bootstrap modals, keyboard)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sites.models import SiteChangeRequest
from tests.factories import UserFactory
from tests.factories_sites import SiteFactory
from tests.htmx import wait_for_htmx
from tests.otp import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_user(transactional_db):
    user = UserFactory(email="browser@own.example")
    SiteFactory.create_batch(30, partner=user.partner)
    SiteFactory(partner=user.partner, number="C777001", company_name="Boulangerie Lumière", city="Annecy")
    SiteFactory(partner=user.partner, number="C777002", company_name="Brasserie Lumière", city="Brest")
    SiteFactory(number="C888001", company_name="Lumière d'un autre partenaire")
    return user


def open_browse_modal(page, live_server, site_number: str):
    """Any page can open the component: a button with data-browse-open and a field to fill."""
    page.goto(f"{live_server.url}/sites/{site_number}/")
    page.add_style_tag(url=f"{live_server.url}/static/css/browse.css")
    page.add_script_tag(url=f"{live_server.url}/static/js/browse.js")
    page.evaluate(
        """() => {
          const input = document.createElement('input'); input.id = 'site-number-field';
          const button = document.createElement('button'); button.type = 'button'; button.textContent = 'Parcourir';
          button.dataset.browseOpen = '/sites/?mode=modal'; button.dataset.browseTarget = '#site-number-field';
          document.querySelector('main').prepend(input, button);
        }"""
    )
    page.get_by_role("button", name="Parcourir").click()
    modal = page.locator("#browse-modal")
    expect(modal).to_be_visible()
    return modal


def test_it_filters_selects_and_hands_over_a_site_in_the_modal(live_server, logged_in_page, browser_user):
    page = logged_in_page(browser_user, next_path="/sites/")
    modal = open_browse_modal(page, live_server, "C777001")
    expect(modal.locator("tr.browse-row")).to_have_count(25)
    # Opened, the modal puts the keyboard in its first header filter.
    expect(modal.locator("#browse-sites-filter-number")).to_be_focused()

    # A header filter narrows the list as one types (htmx, debounced); the other partner's site never shows.
    modal.locator("#browse-sites-filter-company_name").fill("lumi")
    expect(modal.locator("tr.browse-row")).to_have_count(2)
    expect(modal.locator("#browse-sites-filter-company_name")).to_be_focused()
    expect(modal).not_to_contain_text("autre partenaire")

    # The gear hides a column, and the choice is remembered for the next opening.
    modal.locator("[data-browse-gear]").click()
    modal.get_by_role("checkbox", name="Ville").uncheck()
    modal.locator("[data-browse-columns-apply]").click()
    expect(modal.locator("th", has_text="Ville")).to_have_count(0)

    # The site number opens the detail popup above the list; Escape closes only the popup.
    modal.get_by_role("link", name="C777002").click()
    detail = page.locator("#browse-detail-modal")
    expect(detail).to_be_visible()
    expect(detail).to_contain_text("Brasserie Lumière")
    expect(detail).to_have_class(re.compile(r"\bshow\b"))
    page.wait_for_timeout(400)  # the fade-in, for the screenshot only
    page.screenshot(path="/tmp/sites_detail_popup.png")
    page.keyboard.press("Escape")
    expect(detail).to_be_hidden()
    expect(modal).to_be_visible()
    expect(modal.get_by_role("link", name="C777002")).to_be_focused()  # focus returns to the link

    # Keyboard selection: focus a row, Space selects it (blue), « Valider la sélection » fills the field.
    row = modal.locator("tr.browse-row", has_text="Boulangerie")
    row.focus()
    page.keyboard.press("Space")
    expect(row).to_have_class(re.compile("table-primary"))
    expect(row).to_have_attribute("aria-selected", "true")
    page.screenshot(path="/tmp/sites_browse_modal.png")
    modal.get_by_role("button", name="Valider la sélection").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#site-number-field")).to_have_value("C777001")

    # Reopened: the column chooser's choice was kept.
    page.get_by_role("button", name="Parcourir").click()
    expect(modal).to_be_visible()
    expect(modal.locator("tr.browse-row").first).to_be_visible()
    expect(modal.locator("th", has_text="Ville")).to_have_count(0)


def test_it_sorts_pages_and_opens_the_selection_on_the_full_page(live_server, logged_in_page, browser_user):
    page = logged_in_page(browser_user, next_path="/sites/C777001/")
    page.get_by_role("link", name="Sites").first.click()
    expect(page).to_have_url(re.compile(r"/sites/$"))
    rows = page.locator("tr.browse-row")
    expect(rows).to_have_count(25)
    page.locator("[data-browse-sort=number]").click()  # already ascending: now descending
    expect(rows.first).to_contain_text("C777002")
    expect(page).to_have_url(re.compile(r"sort=-number"))
    page.get_by_role("link", name="Suivante").click()
    expect(rows).to_have_count(7)
    page.locator("#browse-sites-filter-city").fill("annecy")
    expect(rows).to_have_count(1)
    rows.first.click()
    expect(rows.first).to_have_class(re.compile("table-primary"))
    page.screenshot(path="/tmp/sites_full_page.png", full_page=True)
    page.get_by_role("button", name="Ouvrir le site").click()
    expect(page).to_have_url(re.compile(r"/sites/C777001/$"))


def test_letters_typed_while_a_filters_answer_travels_are_kept_and_searched(live_server, logged_in_page, browser_user):
    """The answer to a header filter replaces the rows, never the input: the user's next letters
    survive it, and their own search follows (the answer is held back to make the race certain)."""
    page = logged_in_page(browser_user, next_path="/sites/")
    rows = page.locator("tr.browse-row")
    expect(rows).to_have_count(25)
    held = []
    filtered = re.compile(r"/sites/\?.*company_name=b")
    # The first answer is held back; the next ones pass.
    page.route(filtered, lambda route: route.continue_() if held else held.append(route))
    box = page.locator("#browse-sites-filter-company_name")
    box.press_sequentially("b")
    for _ in range(50):  # the debounce (400 ms), then the request, held
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    box.press_sequentially("rasserie")
    page.locator("tr.browse-row").first.evaluate("row => row.dataset.stale = 'yes'")
    held[0].continue_()  # the answer for « b » arrives while « brasserie » waits for its own
    expect(page.locator("tr.browse-row[data-stale]")).to_have_count(0)  # it has replaced the rows
    expect(box).to_have_value("brasserie")
    expect(box).to_be_focused()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Brasserie Lumière")
    expect(page).to_have_url(re.compile(r"company_name=brasserie"))


def test_a_filters_answer_updates_the_count_sort_links_pager_and_column_chooser(
    live_server, logged_in_page, browser_user
):
    """What a header filter's answer swaps out of band, as htmx applies it: the count (a live
    region kept in place), the sort links and the column chooser carrying the filter, a chooser
    that still opens (a new Bootstrap dropdown) and a pager whose clicked link keeps the focus."""
    SiteFactory.create_batch(30, partner=browser_user.partner)
    page = logged_in_page(browser_user, next_path="/sites/")
    count = page.locator("#browse-sites-count")
    expect(count).to_have_text("62 résultats")
    live_region = count.element_handle()
    page.locator("#browse-sites-filter-company_name").fill("lumi")
    expect(count).to_have_text("2 résultats")
    assert live_region.evaluate("node => node.isConnected")  # updated in place, so screen readers hear it
    sort_by_city = page.locator("[data-browse-sort=city]")
    expect(sort_by_city).to_have_attribute("href", re.compile(r"company_name=lumi.*sort=city"))
    expect(page.locator("#browse-sites-columns form")).to_have_attribute("action", re.compile("company_name=lumi"))
    expect(page.locator("#browse-sites-pager")).to_be_empty()

    # The chooser swapped in by the answer opens, and its change keeps the filter.
    page.locator("[data-browse-gear]").click()
    page.get_by_role("checkbox", name="Ville").uncheck()
    page.locator("[data-browse-columns-apply]").click()
    expect(page.locator("th", has_text="Ville")).to_have_count(0)
    expect(page.locator("tr.browse-row")).to_have_count(2)
    wait_for_htmx(page)  # the swapped-in filters listen once htmx has settled them

    # Back to every site: the pager comes back, and a page link keeps the keyboard's focus.
    page.locator("#browse-sites-filter-company_name").fill("")
    expect(count).to_have_text("62 résultats")
    page.locator("#browse-sites-page-next").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#browse-sites-pager")).to_contain_text("Page 2 sur 3")
    expect(page.locator("#browse-sites-page-next")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#browse-sites-pager")).to_contain_text("Page 3 sur 3")
    expect(page).to_have_url(re.compile(r"page=3"))


def test_it_confirms_a_change_request_in_a_dialog(live_server, logged_in_page, browser_user):
    page = logged_in_page(browser_user, next_path="/sites/")
    page.goto(f"{live_server.url}/sites/C777001/")
    page.get_by_role("link", name="Demande de changement des informations site").click()
    page.get_by_label("Ville").fill("Annecy-le-Vieux")
    page.get_by_label("Ville").press("Enter")  # Enter does not skip the confirmation
    assert SiteChangeRequest.objects.count() == 0
    page.get_by_role("button", name="Soumettre à validation").click()
    dialog = page.locator("#confirm-change")
    expect(dialog).to_be_visible()
    page.screenshot(path="/tmp/sites_change_confirm.png")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()
    assert SiteChangeRequest.objects.count() == 0

    page.get_by_role("button", name="Soumettre à validation").click()
    dialog.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"/sites/C777001/$"))
    expect(page.get_by_test_id("pending-request")).to_be_visible()
    page.screenshot(path="/tmp/sites_change_pending.png", full_page=True)
    change_request = SiteChangeRequest.objects.get()
    assert [(f.field_name, f.old_value, f.new_value) for f in change_request.fields.all()] == [
        ("city", "Annecy", "Annecy-le-Vieux")
    ]


def test_the_wizard_takes_a_site_from_the_browse_modal(live_server, logged_in_page, browser_user):
    from tests.factories_orders import draft_with_product

    order = draft_with_product(
        partner=browser_user.partner, user=browser_user, type_code="ADDITIONAL", origin_code="EXISTING_SITE"
    )
    step = f"/commandes/{order.public_id}/etapes/site/"
    page = logged_in_page(browser_user, next_path=step)
    page.get_by_role("button", name="Parcourir").click()
    modal = page.locator("#browse-modal")
    expect(modal).to_be_visible()
    modal.locator("#browse-sites-filter-city").fill("bres")
    expect(modal.locator("tr.browse-row")).to_have_count(1)
    modal.locator("tr.browse-row").click()
    modal.get_by_role("button", name="Valider la sélection").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_site_number")).to_have_value("C777002")
    card = page.get_by_test_id("selected-site")
    expect(card).to_contain_text("Brasserie Lumière")
    expect(card.get_by_role("button", name="Demande de changement des informations site")).to_be_visible()
    page.screenshot(path="/tmp/sites_wizard_step.png", full_page=True)
    page.get_by_role("button", name="Suivant").click()
    expect(page).not_to_have_url(re.compile(r"/etapes/site/"))
    order.refresh_from_db()
    assert order.site.number == "C777002"
    assert order.customer_name == "Brasserie Lumière"


def test_sales_admin_reviews_a_request_field_by_field_in_admin(live_server, page, browser_user, sales_admin):
    from sites import services
    from sites.models import ChangeRequestStatus, Site
    from tests.factories import PASSWORD

    site = Site.objects.get(number="C777001")
    change_request = services.site_change_request_create(
        site=site, user=browser_user, data={"city": "Annecy-le-Vieux", "phone": "0450000000"}
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/customer_sites/sitechangerequest/{change_request.pk}/change/")
    # The admin's login page leads to the portal's, then to the second factor.
    page.fill("main input[name=username]", sales_admin.email)
    page.fill("main input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    pass_second_factor(page, sales_admin)
    rows = page.locator("tr.form-row")
    expect(rows).to_have_count(2)
    city, phone = rows.nth(0), rows.nth(1)
    expect(city).to_contain_text("Annecy-le-Vieux")
    city.get_by_label("Acceptée").check()
    phone.get_by_label("Refusée").check()
    page.screenshot(path="/tmp/sites_admin_review.png", full_page=True)
    page.locator("input[name=_save]").click()
    expect(page.locator(".errornote")).to_be_visible()  # a rejection without its reason
    phone = page.locator("tr.form-row").nth(1)
    phone.locator("textarea").fill("Numéro inconnu.")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    change_request.refresh_from_db()
    site.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PARTIALLY_APPROVED
    assert (site.city, site.phone) == ("Annecy-le-Vieux", "")
