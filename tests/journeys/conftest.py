"""The journeys of docs/journeys.md, walked in Chromium at 1366×768 over the demo's own data.

``journey_factory("J1")`` (a fixture) makes a ``Journey``: the test acts through its methods so that every user
action is counted, and calls ``journey.step("name")`` on every page it visits; the step checks the
rules 7–9 of journeys.md (no sideways scroll, of the page or of a box inside it; no console error;
no French in English), saves a
screenshot under ``.tmp/journeys/<id>/`` and keeps the HTML for the Nu checker run at the end.

``JOURNEY_CONTINUE=1`` collects the rule failures of every step and reports them all at the end
instead of stopping at the first one (to see everything a journey meets in one run).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories_backoffice import eager_celery  # noqa: F401  (a fixture)
from tests.nu import nu_errors
from tests.otp import VERIFY_PATH, pass_second_factor

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".tmp" / "journeys"
VIEWPORT = {"width": 1366, "height": 768}
DEMO_PASSWORD = "demo1234"
PARTNER = "partner@demo.example"
PARTNER_ADMIN = "partner-admin@demo.example"
ADV = "adv@demo.example"
CLOUD = "cloud@demo.example"

# ---------------------------------------------------------------------------
# French words that must not show in English.
#
# The principled source is the interface's own catalogue: every word with a French accent in a
# msgid of the English .po files (the French source strings), unless the English strings use it
# too; then a short list of unaccented French interface words; the catalog's French labels that
# differ from their English ones come from the database (``catalog_french_labels``).

_ACCENTED = re.compile(r"[àâäçéèêëîïôöùûüÿœæ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

FRENCH_INTERFACE_WORDS = frozenset({
    "accueil", "afficher", "ajouter", "annuler", "avancement", "avec", "bonjour", "brouillon", "brouillons",
    "choisir", "choisissez", "commande", "commandes", "complémentaires", "connexion", "corriger", "dans",
    "demande", "destinataire", "destinataires", "effectif", "enregistrer", "envoyer", "fermer", "fonction",
    "historique", "interlocuteur", "licences", "livraison", "madame", "monsieur", "nombre", "nouveau",
    "nouvelle", "origine", "pays", "pour", "produit", "quitter", "rechercher", "reprendre", "retirer",
    "secteur", "soumettre", "soumise", "suivant", "supprimer", "tous", "toutes", "utilisateurs", "valider",
    "ville", "voir",
})


def _po_files() -> list[Path]:
    return [*sorted(ROOT.glob("*/locale/en/LC_MESSAGES/django.po")), ROOT / "locale/en/LC_MESSAGES/django.po"]


@cache
def french_words() -> frozenset[str]:
    """Accented words of the French msgids the English strings never use, plus the interface words above."""
    import polib

    french, english = set(), set()
    for path in _po_files():
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            for text in (entry.msgstr, *entry.msgstr_plural.values()):
                english.update(word.lower() for word in _WORD.findall(text))
            for text in (entry.msgid, entry.msgid_plural or ""):
                french.update(word.lower() for word in _WORD.findall(text) if _ACCENTED.search(word))
    return frozenset((french - english) | FRENCH_INTERFACE_WORDS)


def catalog_french_labels() -> list[str]:
    """The catalog's French labels that read differently in English (or have no English label and look French)."""
    from catalog.models import Generation, OrderType, Origin, ProductReference, Solution

    labels = set()
    for model in (Origin, OrderType, Generation, Solution, ProductReference):
        for label, label_en in model.objects.values_list("label", "label_en"):
            if (label_en and label_en != label) or (not label_en and _ACCENTED.search(label)):
                labels.add(label)
    return sorted(labels, key=len, reverse=True)


# The page's visible text and the attributes a user reads or hears, outside elements marked in
# another language (the language switch names « Français » in French, as it should).
VISIBLE_TEXT = """() => {
  const page = (document.documentElement.lang || '').slice(0, 2);
  const foreign = el => { const own = el.closest('[lang]'); return own && own.lang.slice(0, 2) !== page; };
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || foreign(el) || !el.checkVisibility() || ['SCRIPT', 'STYLE', 'TEMPLATE'].includes(el.tagName)) continue;
    parts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (foreign(el) || el.tagName === 'HTML' || !el.checkVisibility()) continue;
    for (const name of ['title', 'aria-label', 'placeholder']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""


# A file name, an email address or a link is the user's data, not the interface's words.
_DATA_CHUNK = re.compile(r"\w[.@/]\w")


# Rule 7 inside the page: a visible box (a modal's table, the back office's list) that scrolls sideways
# hides columns the user needs at 1366 px.
SIDEWAYS_BOXES = """() => {
  const boxes = [];
  for (const el of document.querySelectorAll('body *')) {
    const overflow = getComputedStyle(el).overflowX;
    if (!['auto', 'scroll'].includes(overflow) || !el.checkVisibility()) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const name = el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
      boxes.push(`${name} (${el.scrollWidth} px of content in ${el.clientWidth} px)`);
    }
  }
  return boxes;
}"""


def french_in(text: str, labels: list[str]) -> list[str]:
    words = (word for chunk in text.split() if not _DATA_CHUNK.search(chunk) for word in _WORD.findall(chunk))
    found = sorted({word for word in words if word.lower() in french_words()})
    found += [f"« {label} »" for label in labels if label in text]
    return found


# ---------------------------------------------------------------------------


class MouseRefused(AssertionError):
    """A keyboard-only journey asked for a mouse action."""


class Journey:
    """One journey: its people's pages, the actions they take, and the rules checked at each step."""

    def __init__(self, *, journey_id: str, browser, base_url: str, keyboard_only: bool = False):
        self.id = journey_id
        self.browser = browser
        self.base_url = base_url
        self.keyboard_only = keyboard_only
        self.actions = 0
        self.login_actions = 0
        self.steps = 0
        self.pages: dict[str, str] = {}
        self.console_errors: list[str] = []
        self.violations: list[str] = []
        self.keep_going = os.environ.get("JOURNEY_CONTINUE", "").strip() in {"1", "true", "yes"}
        self._french_labels: list[str] | None = None
        self._people: dict[str, object] = {}
        self.page = None
        self._languages: dict[object, str] = {}  # each person's browser reads its own language
        self.folder = SCREENSHOTS / journey_id
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    @property
    def language(self) -> str:
        return self._languages.get(self.page, "fr")

    @language.setter
    def language(self, value: str) -> None:
        """Set when the person switches the interface's language (their own browser only)."""
        self._languages[self.page] = value

    # -- the interface's words in the journey's language ------------------------------------------

    def t(self, message: str) -> str:
        """``message`` (a French msgid) as the interface shows it in the journey's language."""
        from django.utils import translation

        with translation.override(self.language):
            translated = translation.gettext(message)
            if translated == message and message[:1].isupper():
                # Form labels are the models' lower-case verbose names, capitalised on display.
                lower = translation.gettext(message[0].lower() + message[1:])
                translated = lower[:1].upper() + lower[1:]
            return translated

    def catalog(self, model: str, code: str) -> str:
        """A catalog row's label as the interface shows it in the journey's language."""
        from django.apps import apps
        from django.utils import translation

        row = apps.get_model("catalog", model).objects.get(code=code)
        with translation.override(self.language):
            return row.display_label

    # -- people --------------------------------------------------------------------------------

    def open(self, email: str | None, path: str = "/", *, locale: str = "fr-FR"):
        """``email``'s own browser (a new context) at ``path``, logged in through the login form; it becomes current.

        The URL of the first page is typed; every later page is reached through the interface.
        """
        context = self.browser.new_context(locale=locale, viewport=VIEWPORT, accept_downloads=True)
        page = context.new_page()
        who = email or "visitor"
        page.on("console", lambda message: self._console(who, message))
        page.on("pageerror", lambda error: self.console_errors.append(f"{who} page error: {error}"))
        self._people[who] = page
        self.page = page
        self.language = locale[:2]
        if email is None:
            page.goto(self.base_url + path)
            return page
        page.goto(f"{self.base_url}/compte/connexion/?next={path}")
        form = page.locator("main form").filter(has=page.locator("input[name=password]"))
        form.locator("input[name=username]").fill(email)
        form.locator("input[name=password]").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        self.login_actions += 3
        if "/compte/connexion/" in page.url:
            raise AssertionError(f"login as {email} failed: still on {page.url}")
        if VERIFY_PATH in page.url:
            self.login_actions += 2
            pass_second_factor(page, email)
        return page

    def become(self, email: str):
        """Back to ``email``'s browser, opened before."""
        self.page = self._people[email]
        self.page.bring_to_front()
        return self.page

    def _console(self, who: str, message) -> None:
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.console_errors.append(f"{who} console: {message.text} ({where})")

    # -- counted actions ------------------------------------------------------------------------

    def _mouse(self, what: str) -> None:
        if self.keyboard_only:
            raise MouseRefused(f"{self.id} is keyboard only: {what} needs a mouse")
        self.actions += 1

    def click(self, locator, **kwargs):
        self._mouse("a click")
        locator.click(**kwargs)

    def check(self, locator):
        self._mouse("checking a box or a radio button")
        locator.check()

    def select(self, locator, **kwargs):
        self._mouse("choosing in a list")
        locator.select_option(**kwargs)

    def fill(self, locator, value: str):
        """Click into a field and type ``value``: one action (keyboard only: ``focus_type`` instead)."""
        self._mouse("clicking into a field")
        locator.fill(value)

    def upload(self, locator, files):
        """Choose files in the system's dialog: one action."""
        self._mouse("the file dialog")
        locator.set_input_files(files)

    def accept_next_dialog(self):
        """The browser's next confirmation dialog is answered « OK »: one action."""
        self.actions += 1
        self.page.once("dialog", lambda dialog: dialog.accept())

    def press(self, key: str, times: int = 1):
        """Keys pressed on whatever has the focus (Tab, Enter, Space, arrows): one action each."""
        for _ in range(times):
            self.actions += 1
            self.page.keyboard.press(key)

    def type(self, text: str):
        """Type ``text`` into the focused field: one action."""
        self.actions += 1
        self.page.keyboard.type(text)

    def tab_to(self, locator, *, key: str = "Tab", limit: int = 60):
        """Press Tab until ``locator`` has the focus; each press counts. Fails after ``limit`` presses."""
        for _ in range(limit):
            if locator.evaluate("el => el === document.activeElement"):
                return
            self.press(key)
        raise AssertionError(f"{self.id}: {limit} × {key} never reached {locator}")

    def focused(self):
        return self.page.locator("*:focus")

    # -- the rules at each step ------------------------------------------------------------------

    def step(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        self.steps += 1
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        label = f"{self.steps:02d}-{re.sub(r'[^a-z0-9]+', '-', ascii_name).strip('-')}"
        page.screenshot(path=str(self.folder / f"{label}.png"), full_page=True)
        self.pages[label] = page.content()
        problems = []
        widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            problems.append(f"scrolls sideways: {widths[0]} px wide in a {widths[1]} px window")
        for box in page.evaluate(SIDEWAYS_BOXES):
            problems.append(f"cut at {VIEWPORT['width']} px: {box} scrolls sideways inside the page")
        if self.console_errors:
            problems.append("console errors: " + " | ".join(self.console_errors))
            self.console_errors = []  # reported once, at the step where they appeared
        if page.evaluate("() => document.documentElement.lang").startswith("en"):
            if self._french_labels is None:
                self._french_labels = catalog_french_labels()
            french = french_in(page.evaluate(VISIBLE_TEXT), self._french_labels)
            if french:
                problems.append("French in English: " + ", ".join(french))
        for problem in problems:
            message = f"{self.id} step {label} ({page.url.removeprefix(self.base_url)}): {problem}"
            if not self.keep_going:
                raise AssertionError(message)
            self.violations.append(message)

    def expect(self, locator):
        return expect(locator)

    def verify(self, what: str, check) -> None:
        """A rule the journey holds without needing it to go on: ``check()`` raises AssertionError when broken.

        It fails the test at once, or (``JOURNEY_CONTINUE=1``) at the end with the others.
        """
        try:
            check()
        except AssertionError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            message = f"{self.id} after step {self.steps:02d} ({self.page.url.removeprefix(self.base_url)}): {what}"
            if not self.keep_going:
                raise AssertionError(f"{message}: {error}") from None
            self.violations.append(f"{message} — {first_line}")

    # -- the end ---------------------------------------------------------------------------------

    def summary(self) -> str:
        return f"{self.id}: {self.actions} actions (+{self.login_actions} to log in), {self.steps} steps"

    def finish(self) -> None:
        """The Nu checker over every page visited: 0 errors; then every rule failure collected on the way."""
        print(self.summary())
        errors = nu_errors(self.pages)
        problems = list(self.violations)
        if errors:
            problems.append(f"{self.id}: the Nu checker found {len(errors)} errors:\n  " + "\n  ".join(errors))
        self.violations = []
        assert not problems, "\n".join(problems)


@pytest.fixture
def demo_data(transactional_db):
    """The demo a newcomer walks in ``make demo``: the project's own ``seed_demo`` command."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 — devnull, closed with the process


@pytest.fixture
def journey_factory(request, browser, live_server, demo_data, mailoutbox, settings):
    """``journey_factory("J2", keyboard_only=False)`` → a ``Journey``; its count is printed at the end."""
    settings.SITE_URL = live_server.url  # the emails' links lead to the server the journey runs on
    # Celery runs in the server's process as in ``make demo`` (eager_celery), even when CI configures a
    # broker: the journeys walk the demo; the real worker's path is tests/browser_certs/test_odata_journey.py.
    request.getfixturevalue("eager_celery")
    journeys = []

    def make(journey_id: str, *, keyboard_only: bool = False) -> Journey:
        journey = Journey(
            journey_id=journey_id, browser=browser, base_url=live_server.url, keyboard_only=keyboard_only
        )
        journeys.append(journey)
        return journey

    yield make
    for journey in journeys:
        print(journey.summary())
        for violation in journey.violations:
            print(violation)
        for page in journey._people.values():
            page.context.close()
