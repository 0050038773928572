"""Rule 7 of journeys.md: at 1366×768 nothing is cut and nothing scrolls sideways.

Each role logs in and walks every page it can reach by a link (portal and back office,
each kind of page a few times), the browse lists and their modals with every column
switched on behind the gear. On each page:

* the page itself does not scroll sideways (``scrollWidth <= innerWidth``);
* no visible element sticks out past the window's right edge;
* no box that clips or scrolls its content sideways (``overflow-x`` other than
  ``visible``: a ``.table-responsive``, the admin's ``.results``…) holds more than its
  width. A table wider than its wrapper is the « cut off » the users saw: its scrollbar sits
  below the last row, out of sight, so the last columns and filters look missing.

The deliberate exceptions: inputs (they scroll their own text), ``text-truncate`` cells that
carry their full text in a ``title``, and a scroller no taller than the window (its scrollbar
is on screen with its content: a browse list with every column its gear offers, sixteen for
the sales administration's sites, scrolls sideways that way). A list with the default
columns and two more must fit without scrolling at all (``strict``).

A screenshot of each page goes to ``.tmp/layout/`` (look at them).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from mybusiness.models import User
from tests.otp import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = Path(__file__).resolve().parent.parent / ".tmp" / "layout"
DEMO_PASSWORD = "demo1234"
# Each kind of page (its path, numbers and ids blanked) is visited this many times at most.
PER_KIND = 2
MAX_PAGES = 160

# Links never followed: they leave, switch language, download, or only answer htmx.
SKIPPED = re.compile(
    r"/(deconnexion|logout|langue|jsi18n|telecharger|download|healthz)\b|/documents/[^/]+/|/static/|/media/|apercu/"
)

# What is wrong on the page, as sentences (empty: the page fits).
FIT_PROBLEMS = """(strict) => {
  const width = window.innerWidth;
  const problems = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px for a ${width}px window`);
  }
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) { text += '#' + el.id; }
    const classes = (el.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean).slice(0, 3);
    if (classes.length) { text += '.' + classes.join('.'); }
    const label = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return label ? `${text} « ${label} »` : text;
  };
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) { return false; }
    return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  };
  for (const el of document.body.querySelectorAll('*')) {
    const hidden = '.visually-hidden, .visually-hidden-focusable:not(:focus), .dropdown-menu:not(.show), [hidden]';
    if (el.closest(hidden)) { continue; }
    if (['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'SCRIPT', 'STYLE'].includes(el.tagName)) { continue; }
    if (!shown(el)) { continue; }
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    // Inside a box that clips or scrolls sideways, that box's own check below speaks for its content.
    let inside = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') { inside = true; break; }
    }
    if (box.right > width + 1 && !inside) {
      problems.push(`${name(el)} sticks out: its right edge at ${Math.round(box.right)}px`);
      continue;
    }
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
      // An ellipsis with the full text in a title, a button's text moved out of sight for its icon, or
      // (unless strict) a scroller no taller than the window: its scrollbar shows with its content.
      const scroller = ['auto', 'scroll'].includes(style.overflowX) && box.height <= window.innerHeight;
      const deliberate = (style.textOverflow === 'ellipsis' && el.title) || parseFloat(style.textIndent) < -100
        || (scroller && !strict);
      if (!deliberate) {
        problems.push(`${name(el)} is cut: ${el.scrollWidth}px of content in ${el.clientWidth}px`);
      }
    }
  }
  return problems;
}"""


def shot_name(role: str, url: str) -> str:
    parts = urlsplit(url)
    slug = re.sub(r"[^a-z0-9]+", "-", (parts.path + ("-" + parts.query if parts.query else "")).lower()).strip("-")
    return f"{role}--{slug or 'home'}"


def page_kind(url: str) -> str:
    """The kind of page: its path with ids, numbers and uuids blanked."""
    path = urlsplit(url).path
    return re.sub(r"/[^/]*\d[^/]*(?=/)", "/#", path)


def assert_fits(page, name: str, problems_by_page: dict, *, strict: bool = False) -> None:
    """Record what does not fit on the page; ``strict``: no box may scroll sideways either."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # fade-ins and htmx settling
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    problems = page.evaluate(FIT_PROBLEMS, strict)
    if problems:
        problems_by_page[name] = problems


def report(problems_by_page: dict) -> str:
    lines = []
    for name, problems in problems_by_page.items():
        lines.append(f"{name} ({SHOTS / name}.png):")
        lines.extend(f"  - {problem}" for problem in problems[:8])
        if len(problems) > 8:
            lines.append(f"  - … and {len(problems) - 8} more")
    return "\n".join(lines)


def log_in(browser, live_server, email: str):
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert reverse("login") not in page.url, f"login as {email} failed"
    pass_second_factor(page, email)
    return page


def crawl(page, live_server, *, role: str, start: str, prefix: str, problems_by_page: dict) -> list[str]:
    """Visit every page reachable by a link from ``start`` under ``prefix`` (a few of each kind); return them."""
    seen, kinds, queue, visited = set(), Counter(), [start], []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        kind = page_kind(url)
        if kinds[kind] >= PER_KIND:
            continue
        try:
            response = page.goto(f"{live_server.url}{url}")
        except PlaywrightError as error:  # a link to a file: not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        landed = urlsplit(page.url)
        if not landed.path.startswith(prefix):
            continue
        kinds[kind] += 1
        visited.append(url)
        assert_fits(page, shot_name(role, url), problems_by_page)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(page.url, href))
            if target.netloc != landed.netloc or target.query or not target.path.startswith(prefix):
                continue
            if SKIPPED.search(target.path) or target.path in seen:
                continue
            queue.append(target.path)
    return visited


@pytest.fixture
def demo(transactional_db, settings):
    """The demo's data (every model has rows), plus rows with long names, drafts and a returned order."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 — the command's output is noise here
    from opportunities.models import Opportunity
    from orders.models import Order, OrderStatus
    from sites.models import Site

    partner = User.objects.get(email="partner@demo.example").partner
    Site.objects.filter(partner=partner, number__in=list(
        Site.objects.filter(partner=partner).order_by("number").values_list("number", flat=True)[:3]
    )).update(
        company_name="Établissements Hydrauliques et Mécaniques de la Haute-Savoie Réunis",
        address="Zone d'activités des Grands Champs, 1245 avenue du Président Wilson, bâtiment C",
        email="comptabilite.fournisseurs@etablissements-hydrauliques-haute-savoie.example",
    )
    Opportunity.objects.filter(partner=partner).update(
        name="Déploiement de l'ERP et du CRM dans les quatorze agences régionales",
        company_name="Coopérative Agricole des Producteurs Laitiers du Massif Central",
    )
    Order.objects.filter(partner=partner, status=OrderStatus.DRAFT).update(
        customer_name="Établissements Hydrauliques et Mécaniques de la Haute-Savoie Réunis"
    )
    return partner


PORTAL_ROLES = ["partner@demo.example", "partner-admin@demo.example", "adv@demo.example", "cloud@demo.example"]
ADMIN_ROLES = ["adv@demo.example", "cloud@demo.example"]


@pytest.mark.parametrize("email", PORTAL_ROLES)
def test_it_fits_every_portal_page_in_1366_pixels(live_server, browser, demo, email):
    page = log_in(browser, live_server, email)
    problems: dict = {}
    role = email.split("@")[0]
    visited = crawl(page, live_server, role=role, start="/", prefix="/", problems_by_page=problems)
    page.context.close()
    assert visited, f"{email} reached no page"
    assert not problems, f"{len(problems)} of {len(visited)} pages do not fit in 1366×768:\n{report(problems)}"


@pytest.mark.parametrize("email", ADMIN_ROLES)
def test_it_fits_every_back_office_page_in_1366_pixels(live_server, browser, demo, email):
    page = log_in(browser, live_server, email)
    problems: dict = {}
    role = email.split("@")[0]
    visited = crawl(page, live_server, role=f"admin-{role}", start="/admin/", prefix="/admin/",
                    problems_by_page=problems)
    page.context.close()
    assert any(url.endswith("/change/") for url in visited), f"{email} opened no change form: {visited}"
    assert not problems, f"{len(problems)} of {len(visited)} pages do not fit in 1366×768:\n{report(problems)}"


def choose_columns(scope, *, every: bool) -> None:
    """Behind the gear of the list in ``scope``: every column (``every``), or the defaults and two more."""
    gear, menu = scope.locator("[data-browse-gear]"), scope.locator("form.browse-columns")
    if not every:
        gear.click()
        menu.locator("button[name=reset]").click()
        expect(menu).to_be_hidden()
    gear.click()
    expect(menu).to_be_visible()
    # By id: a locator of the unchecked boxes would shift as they get checked.
    ids = [box.get_attribute("id") for box in menu.locator("input[type=checkbox]:not([disabled]):not(:checked)").all()]
    for box_id in ids if every else ids[:2]:
        menu.locator(f"#{box_id}").check()
    menu.locator("[data-browse-columns-apply]").click()
    expect(menu).to_be_hidden()
    expect(scope.locator("tr.browse-row").first).to_be_visible()


def open_browse_modal(page, live_server, opener_path: str, url: str):
    """Open the browse modal on ``url`` as the wizard's « Parcourir » buttons do (data-browse-open), from a
    page without a list of its own (the modal's ids are then its own)."""
    page.goto(f"{live_server.url}{opener_path}")
    page.add_style_tag(url=f"{live_server.url}/static/css/browse.css")
    page.add_script_tag(url=f"{live_server.url}/static/js/browse.js")
    page.evaluate(
        """(url) => {
          const button = document.createElement('button');
          button.type = 'button'; button.textContent = 'Parcourir (test)';
          button.dataset.browseOpen = url;
          document.querySelector('main').prepend(button);
        }""",
        url,
    )
    page.get_by_role("button", name="Parcourir (test)").click()
    modal = page.locator("#browse-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("tr.browse-row").first).to_be_visible()
    return modal


@pytest.mark.parametrize("email", ["partner@demo.example", "adv@demo.example"])
def test_it_fits_the_browse_lists_and_modals_with_more_columns(live_server, browser, demo, email):
    from sites.models import Site

    page = log_in(browser, live_server, email)
    role = email.split("@")[0]
    problems: dict = {}
    # The modals open from a site's page, as from the wizard's steps: a page without a list.
    opener = reverse("site_detail", args=[Site.objects.filter(partner=demo).order_by("number").first().number])
    lists = [("sites", reverse("site_list"), f"{reverse('site_list')}?mode=modal")]
    if role == "partner":
        modal_url = f"{reverse('opportunity_browse_linkable')}?mode=modal&stage=open"
        lists.append(("opportunities", reverse("opportunity_list"), modal_url))
    for name, list_url, modal_url in lists:
        page.goto(f"{live_server.url}{list_url}")
        choose_columns(page.locator("main"), every=False)
        assert_fits(page, f"{role}--{name}-two-more-columns", problems, strict=True)
        choose_columns(page.locator("main"), every=True)
        assert_fits(page, f"{role}--{name}-every-column", problems)

        modal = open_browse_modal(page, live_server, opener, modal_url)
        choose_columns(modal, every=False)
        page.wait_for_timeout(300)  # the modal's fade-in
        assert_fits(page, f"{role}--{name}-modal-two-more-columns", problems, strict=True)
        choose_columns(modal, every=True)
        assert_fits(page, f"{role}--{name}-modal-every-column", problems)
        modal.locator("a[data-browse-detail]").first.click()
        detail = page.locator("#browse-detail-modal")
        expect(detail).to_be_visible()
        page.wait_for_timeout(300)
        assert_fits(page, f"{role}--{name}-detail-popup", problems)
        detail.locator(".btn-close").click()
        expect(detail).to_be_hidden()
    page.context.close()
    assert not problems, f"{len(problems)} views do not fit in 1366×768:\n{report(problems)}"
