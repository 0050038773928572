"""Accessibility in a real Chromium: axe-core on every portal page, form error and modal, the error
summary's focus and links, and the focus kept inside open modals then given back to their opener.

Target: no axe violation of impact « serious » or « critical »; the tests refuse « moderate » ones
too (the heading order, say). Each test keeps one logged-in page.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from catalog.models import OrderType, Origin
from tests.factories import PartnerAdminFactory
from tests.factories_opportunities import OpportunityFactory
from tests.factories_orders import OrderFactory, _answer_site_step, catalog, draft_with_product
from tests.factories_sites import SiteFactory
from tests.factories_steps import complete_draft, fill_steps_4_to_6

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"moderate", "serious", "critical"}


def axe_violations(page, where: str) -> list[str]:
    """The axe violations of impact moderate, serious or critical on the page as it is now (every rule), one
    line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run({resultTypes: ['violations']})")
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']}: "
        + "; ".join(f"{node['target']} {node['html'][:160]}" for node in v["nodes"][:4])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def axe_check(page):
    """``axe_check(page, where)`` records the page's blocking violations; the test fails at its end with all of them."""
    found: list[str] = []
    # axe-core loaded once into every page of the test's context, not sent again for each check.
    page.context.add_init_script(script=AXE_SCRIPT)

    def check(page, where: str) -> None:
        found.extend(axe_violations(page, where))

    yield check
    assert not found, "axe violations:\n" + "\n".join(found)


def active_element_id(page) -> str:
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.tagName)")


def assert_error_summary(page, where: str, *, fields: list[str] | None = None) -> None:
    """The summary is focused on load, lists each field in error as a link to ``#id_<field>``, and
    following a link moves the focus to that field."""
    summary = page.locator("#error-summary")
    expect(summary, f"{where}: error summary").to_be_visible()
    expect(summary, f"{where}: the summary has the focus on load").to_be_focused()
    links = summary.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs or fields == [], f"{where}: the summary links no field"
    for href in hrefs:
        assert re.fullmatch(r"#id_\w+", href), f"{where}: {href} is not a link to a field"
    if fields is not None:
        assert [href[len("#id_"):] for href in hrefs] == fields, f"{where}: {hrefs}"
    for index, href in enumerate(hrefs):
        links.nth(index).click()
        expect(page.locator(href), f"{where}: {href} focused by its summary link").to_be_focused()


def submit_empty(page, button: str = "Suivant") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


@pytest.fixture
def portal_user(partner):
    """A partner admin (sees every portal page, the company's users too) with a site and opportunities."""
    user = PartnerAdminFactory(partner=partner, email="a11y@own.example", first_name="Alix")
    SiteFactory(partner=partner, number="C100001", company_name="Boulangerie Martin")
    SiteFactory(partner=partner, number="C100002", company_name="Garage Bernard")
    OpportunityFactory(partner=partner, number="OPP-100001", company_name="Fromagerie Joly")
    OpportunityFactory(partner=partner, number="OPP-100002", company_name="Cave Dupont")
    return user


def test_it_finds_no_serious_violation_on_lists_pages_and_their_forms(
    live_server, page, logged_in_page, portal_user, axe_check
):
    # The login form, empty then in error, before logging in.
    page.goto(f"{live_server.url}/compte/connexion/")
    axe_check(page, "login")
    submit_empty(page, "Se connecter")
    axe_check(page, "login in error")
    page.screenshot(path=".tmp/shots/a11y-login-error.png", full_page=True)
    assert_error_summary(page, "login", fields=["username", "password"])

    page.goto(f"{live_server.url}/compte/mot-de-passe/oubli/")
    axe_check(page, "password reset")
    submit_empty(page, "Recevoir le lien")
    axe_check(page, "password reset in error")
    assert_error_summary(page, "password reset", fields=["email"])

    order = complete_draft(partner=portal_user.partner, user=portal_user)
    from orders.services.submission import order_submit

    order_submit(order=order, user=portal_user)
    logged_in_page(portal_user)
    for where, path in [
        ("home", "/"),
        ("order list", "/commandes/"),
        ("site list", "/sites/"),
        ("opportunity list", "/opportunites/"),
        ("partner users", "/utilisateurs/"),
        ("order detail", f"/commandes/{order.public_id}/"),
        ("site detail", "/sites/C100001/"),
        ("opportunity detail", "/opportunites/OPP-100001/"),
        ("password change", "/compte/mot-de-passe/"),
        ("invitation", "/utilisateurs/inviter/"),
    ]:
        page.goto(live_server.url + path)
        axe_check(page, where)

    page.goto(f"{live_server.url}/commandes/{order.public_id}/")
    submit_empty(page, "Envoyer")
    axe_check(page, "order message in error")
    page.screenshot(path=".tmp/shots/a11y-order-message-error.png", full_page=True)
    assert_error_summary(page, "order message", fields=["body"])

    page.goto(f"{live_server.url}/utilisateurs/inviter/")
    submit_empty(page, "Envoyer l'invitation")
    axe_check(page, "invitation in error")
    page.screenshot(path=".tmp/shots/a11y-invitation-error.png", full_page=True)
    assert_error_summary(page, "invitation", fields=["email", "first_name", "last_name"])

    page.goto(f"{live_server.url}/compte/mot-de-passe/")
    submit_empty(page, "Enregistrer le nouveau mot de passe")
    axe_check(page, "password change in error")
    assert_error_summary(page, "password change")

    # The site change request: a required field emptied, then confirmed in the dialog.
    page.goto(f"{live_server.url}/sites/C100001/demande-de-changement/")
    axe_check(page, "site change request")
    page.get_by_label("Raison sociale").fill("")
    page.get_by_test_id("submit-for-validation").click()
    expect(page.locator("#confirm-change")).to_be_visible()
    with page.expect_navigation():
        page.locator("#confirm-change").get_by_role("button", name="Valider").click()
    axe_check(page, "site change request in error")
    page.screenshot(path=".tmp/shots/a11y-site-change-request-error.png", full_page=True)
    assert_error_summary(page, "site change request", fields=["company_name"])


def test_it_finds_no_serious_violation_on_every_wizard_step_and_its_errors(
    live_server, logged_in_page, portal_user, axe_check
):
    partner = portal_user.partner
    page = logged_in_page(portal_user)

    def step(order, identifier: str, *, errors: list[str] | None = None, where: str | None = None) -> None:
        where = where or identifier
        page.goto(f"{live_server.url}/commandes/{order.public_id}/etapes/{identifier}/")
        expect(page).to_have_url(re.compile(f"/etapes/{identifier}/$"))
        axe_check(page, f"step {where}")
        if errors is not None:
            submit_empty(page)
            axe_check(page, f"step {where} in error")
            page.screenshot(path=f".tmp/shots/a11y-{where}-error.png", full_page=True)
            assert_error_summary(page, f"step {where}", fields=errors)

    # 1. Type and origin: empty, then an opportunity origin without its number.
    draft = OrderFactory(partner=partner, created_by=portal_user)
    step(draft, "type", errors=["order_type_0"])
    page.get_by_label("Nouveau client").check()
    page.get_by_label("Opportunité", exact=True).check()
    expect(page.locator("#id_opportunity")).to_be_visible()
    axe_check(page, "step type with the opportunity field")
    submit_empty(page)
    axe_check(page, "step type, opportunity in error")
    assert_error_summary(page, "step type, opportunity", fields=["opportunity"])

    # 2. Product.
    draft.order_type = catalog(OrderType, "NEW_CUSTOMER")
    draft.origin = catalog(Origin, "NEW_SITE")
    draft.save()
    step(draft, "produit", errors=["generation", "solution"])

    # 3. Site: the new-site form, then an existing site's number.
    order = draft_with_product(partner=partner, user=portal_user, with_site=False)
    step(order, "site", where="site-new", errors=[
        "new_site_company_name", "new_site_siret", "new_site_address", "new_site_postal_code", "new_site_city",
        "new_site_hosting_0",
    ])
    existing = draft_with_product(
        partner=partner, user=portal_user, type_code="ADDITIONAL", origin_code="EXISTING_SITE", with_site=False
    )
    step(existing, "site", where="site-existing", errors=["site_number"])

    # 4. Contact, 5. delivery, 6. documents: each reached with the earlier steps answered.
    _answer_site_step(order)
    order.save()
    step(order, "contact", errors=[
        "contact_civility_0", "contact_first_name", "contact_last_name", "contact_email", "contact_phone",
    ])
    fill_steps_4_to_6(order, user=portal_user, with_purchase_order=False)
    order.delivery_date = None
    order.certificate_recipients = []
    order.save()
    step(order, "livraison", errors=["delivery_date", "recipients"])
    fill_steps_4_to_6(order, user=portal_user, with_purchase_order=False)
    step(order, "documents", errors=["document_files"])  # the purchase order: its drop zone

    # 7. Review.
    fill_steps_4_to_6(order, user=portal_user)
    step(order, "recapitulatif")


TABBABLE = (
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), "
    "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)


def assert_focus_trapped(page, selector: str, where: str) -> None:
    """Tab and Shift+Tab, more times than the dialog has stops, never take the focus out of it."""
    stops = page.evaluate(
        "([sel, tabbable]) => [...document.querySelector(sel).querySelectorAll(tabbable)]"
        ".filter(el => el.offsetParent !== null).length",
        [selector, TABBABLE],
    )
    assert stops > 0, f"{where}: nothing to focus in the dialog"
    # Every focus that lands outside the dialog, or leaves the page, is noted by the page itself.
    page.evaluate(
        """sel => {
            const dialog = document.querySelector(sel);
            const escapes = window.__focusEscapes = [];
            const landed = e => { if (!dialog.contains(e.target)) { escapes.push(e.target.id || e.target.tagName); } };
            const left = e => { if (!e.relatedTarget) { escapes.push("(out of the page)"); } };
            document.addEventListener("focusin", landed);
            document.addEventListener("focusout", left);
            window.__stopFocusWatch = () => {
                document.removeEventListener("focusin", landed);
                document.removeEventListener("focusout", left);
            };
        }""",
        selector,
    )
    for key in ("Tab", "Shift+Tab"):
        for _press in range(stops + 3):
            page.keyboard.press(key)
        escapes = page.evaluate("window.__focusEscapes")
        assert not escapes, f"{where}: {stops + 3} × {key} took the focus out of the dialog to {escapes}"
        assert page.evaluate(f"document.querySelector({selector!r}).contains(document.activeElement)"), where
    page.evaluate("window.__stopFocusWatch()")


def check_modal(page, axe_check, *, opener, selector: str, where: str, close=None) -> None:
    """Opened by ``opener``: no axe violation, focus trapped, then given back to ``opener`` on Escape
    and on the close button (``close``: the dialog's own close control, the header's × by default)."""
    modal = page.locator(selector)
    for closing in ("Escape", "close button"):
        opener.click()
        expect(modal, f"{where}: open").to_be_visible()
        expect(modal, f"{where}: fully shown").to_have_class(re.compile(r"\bshow\b"))
        # Bootstrap moves the focus in once the opening transition has ended.
        expect(page.locator(f"{selector} :focus, {selector}:focus"), f"{where}: the focus moved in").to_have_count(1)
        if closing == "Escape":
            axe_check(page, f"{where} (open)")
            slug = re.sub(r"\W+", "-", where)
            page.screenshot(path=f".tmp/shots/a11y-modal-{slug}.png")
            assert_focus_trapped(page, selector, where)
            page.keyboard.press("Escape")
        else:
            (close or modal.locator(".modal-header .btn-close")).click()
        expect(modal, f"{where}: closed by {closing}").to_be_hidden()
        expect(opener, f"{where}: the focus back on its opener after {closing}").to_be_focused()


def test_it_keeps_the_focus_inside_open_modals_and_gives_it_back(live_server, logged_in_page, portal_user, axe_check):
    partner = portal_user.partner
    page = logged_in_page(portal_user)

    # Step 1: the opportunity browse modal.
    draft = OrderFactory(partner=partner, created_by=portal_user)
    page.goto(f"{live_server.url}/commandes/{draft.public_id}/etapes/type/")
    page.get_by_label("Nouveau client").check()
    page.get_by_label("Opportunité", exact=True).check()
    expect(page.locator("#id_opportunity")).to_be_visible()
    check_modal(page, axe_check, opener=page.get_by_role("button", name="Parcourir"), selector="#browse-modal",
                where="opportunity browse modal")

    # Step 3: the site browse modal, and a site's detail popup opened from it.
    existing = draft_with_product(
        partner=partner, user=portal_user, type_code="ADDITIONAL", origin_code="EXISTING_SITE", with_site=False
    )
    page.goto(f"{live_server.url}/commandes/{existing.public_id}/etapes/site/")
    browse = page.get_by_role("button", name="Parcourir")
    check_modal(page, axe_check, opener=browse, selector="#browse-modal", where="site browse modal")
    browse.click()
    expect(page.locator("#browse-modal")).to_be_visible()
    check_modal(page, axe_check, opener=page.locator("#browse-modal a[data-browse-detail]").first,
                selector="#browse-detail-modal", where="site detail popup over the browse modal")
    expect(page.locator("#browse-modal")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#browse-modal")).to_be_hidden()
    expect(browse).to_be_focused()

    # The detail popups of the site and opportunity lists.
    page.goto(f"{live_server.url}/sites/")
    check_modal(page, axe_check, opener=page.locator("a[data-browse-detail]").first,
                selector="#browse-detail-modal", where="site detail popup")
    page.goto(f"{live_server.url}/opportunites/")
    check_modal(page, axe_check, opener=page.locator("a[data-browse-detail]").first,
                selector="#browse-detail-modal", where="opportunity detail popup")

    # The site change request's confirmation dialog.
    page.goto(f"{live_server.url}/sites/C100001/demande-de-changement/")
    check_modal(page, axe_check, opener=page.get_by_test_id("submit-for-validation"), selector="#confirm-change",
                where="change request confirmation")


def test_it_finds_no_serious_violation_on_the_admin_order_pages(
    live_server, logged_in_page, partner, sales_admin, axe_check
):
    from orders.services.submission import order_submit

    user = PartnerAdminFactory(partner=partner, email="a11y-admin@own.example")
    order = complete_draft(partner=partner, user=user)
    order_submit(order=order, user=user)
    page = logged_in_page(sales_admin, "/admin/orders/order/")
    axe_check(page, "admin order changelist")
    page.screenshot(path=".tmp/shots/a11y-admin-changelist.png")
    page.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
    axe_check(page, "admin order change page")
    page.screenshot(path=".tmp/shots/a11y-admin-order.png", full_page=True)
