"""The catalogs hold every string the portal shows: each one extracted, translated and current."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mybusiness", "catalog", "orders", "sites", "opportunities", "certificates")
TRANSLATING_CALLS = {
    "_", "gettext", "ngettext", "pgettext", "npgettext", "gettext_lazy", "ngettext_lazy", "pgettext_lazy",
    "gettext_noop",
}
CONTEXT_CALLS = {"pgettext", "npgettext", "pgettext_lazy", "npgettext_lazy"}  # (context, message, ...)
# {% translate "…" %} or {% trans '…' %}, with an optional context "…"
TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?[^%]*%\}""")


def python_sources() -> list[Path]:
    return sorted(
        path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
    )


def translations_inside_f_strings(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) in TRANSLATING_CALLS:
                found.append((call.lineno, ast.unparse(call)))
    return found


def translated_in_python(tree: ast.AST) -> list[tuple[int, str | None, str]]:
    """(line, context, message) of each translation call whose message is written out."""
    found = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
        if name not in TRANSLATING_CALLS and name not in CONTEXT_CALLS:
            continue
        texts = [arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                 for arg in call.args[:2]]
        if name in CONTEXT_CALLS and len(texts) == 2 and None not in texts:
            found.append((call.lineno, texts[0], texts[1]))
        elif name not in CONTEXT_CALLS and texts and texts[0] is not None:
            found.append((call.lineno, None, texts[0]))
    return found


def translated_in_template(text: str) -> list[tuple[str | None, str]]:
    """(context, message) of each {% translate "…" %}; makemessages doubles a template's % signs."""
    return [(match[4] or None, match[2].replace("%", "%%")) for match in TRANSLATE_TAG.finditer(text)]


# {{ _("…") }} in a Jinja2 template (mybusiness.jinja2_environment), maybe followed by filters.
JINJA2_CALL = re.compile(r"""\{\{\s*_\((["'])(.*?)\1\)""")


def translated_in_jinja2(text: str) -> list[tuple[None, str]]:
    return [(None, match[2]) for match in JINJA2_CALL.finditer(text)]


def test_every_string_the_code_translates_is_in_a_catalog():
    """A string added without ``make messages`` shows in French to English users: each one the
    Python code or a template's {% translate %} writes out must be in a catalog."""
    catalogs = [*ROOT.glob("*/locale/en/LC_MESSAGES/django.po"), *ROOT.glob("locale/en/LC_MESSAGES/django.po")]
    known = {(entry.msgctxt, entry.msgid) for path in catalogs for entry in polib.pofile(str(path))
             if not entry.obsolete}
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {message!r}"
        for path in python_sources()
        for line, context, message in translated_in_python(ast.parse(path.read_text(), str(path)))
        if (context, message) not in known
    ]
    templates = [path for app in APPS for path in (ROOT / app).rglob("templates/**/*.html")]
    missing += [
        f"{path.relative_to(ROOT)}: {message!r}"
        for path in [*templates, *(ROOT / "templates").rglob("*.html")]
        for context, message in translated_in_template(path.read_text())
        if (context, message) not in known
    ]
    missing += [
        f"{path.relative_to(ROOT)}: {message!r}"
        for app in APPS
        for path in (ROOT / app).rglob("jinja2/**/*.html")
        for context, message in translated_in_jinja2(path.read_text())
        if (context, message) not in known
    ]
    assert missing == []


def test_makemessages_reads_the_jinja2_templates_calls():
    """``makemessages`` reads a .html file as a Django template (``templatize``): a Jinja2
    template's ``{{ _("…") }}`` reaches the catalog only because it reads like a Django
    template's, and only as a lone string, maybe followed by filters (not ``_("…", n=1)``)."""
    from django.utils.translation import templatize

    source = '{% set x = 1 %}<p title="{{ _("Filtrer…") }}">{{ _("Page %(n)s") | format(n=2) }}</p>'
    extracted = templatize(source)
    assert "_('Filtrer…')" in extracted.replace('"', "'") and "_('Page %(n)s')" in extracted.replace('"', "'")
    assert translated_in_jinja2(source) == [(None, "Filtrer…"), (None, "Page %(n)s")]


def test_the_catalog_check_reads_calls_and_tags():
    tree = ast.parse("a = _('Ouvrir le site')\nb = pgettext_lazy('menu', 'Sites')\nc = gettext(name)")
    assert translated_in_python(tree) == [(1, None, "Ouvrir le site"), (2, "menu", "Sites")]
    tags = '{% translate "Filtrer" %} {% trans \'Sélection : %s\' %} {% translate "Mai" context "mois" %}'
    assert translated_in_template(tags) == [(None, "Filtrer"), (None, "Sélection : %%s"), ("mois", "Mai")]


def test_no_string_is_translated_inside_an_f_string():
    """xgettext (``makemessages``) does not read inside an f-string's braces: a string translated
    there never reaches the catalogs, and shows in French to everyone. Translate it into a variable
    first."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {call}"
        for path in python_sources()
        for line, call in translations_inside_f_strings(ast.parse(path.read_text(), str(path)))
    ]
    assert offenders == []


def test_the_check_finds_a_translation_inside_an_f_string():
    tree = ast.parse("label = f'<b>{escape(gettext(\"Se déconnecter\"))}</b>'\nplain = gettext('Langue')")
    assert translations_inside_f_strings(tree) == [(1, "gettext('Se déconnecter')")]


@pytest.mark.parametrize(
    "catalog",
    sorted(str(path.relative_to(ROOT)) for path in ROOT.glob("*/locale/en/LC_MESSAGES/django.po")),
)
def test_every_english_entry_is_translated_and_none_is_fuzzy(catalog):
    entries = [entry for entry in polib.pofile(str(ROOT / catalog)) if not entry.obsolete]
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize(
    ("msgid", "english"),
    [
        ("Se déconnecter", "Log out"),
        ("Ouvrir le menu", "Open the menu"),
        ("Langue", "Language"),
        ("Filtrer…", "Filter…"),
        ("Colonnes affichées", "Columns shown"),
        ("Suivante", "Next"),
    ],
)
def test_the_strings_written_in_python_are_in_the_catalogs(msgid, english):
    """The navigation bar's and the browse list's strings reach the catalogs (they once did not,
    from inside f-strings; the browse's are now in Jinja2 templates)."""
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext(msgid) == english


# French typography: a space (plain, no-break or narrow no-break) before « : ; ? ! », « » quotes, and
# the no-break spaces French types around them. English writes "Reason: …", “quoted”.
FRENCH_TYPOGRAPHY = re.compile(r"[ \u00a0\u202f][:;?!](?=\s|$|<|\")|[«»\u00a0\u202f]")


def french_typography(text: str) -> list[str]:
    return [match.group() for match in FRENCH_TYPOGRAPHY.finditer(text)]


@pytest.mark.parametrize(
    "catalog",
    sorted(str(path.relative_to(ROOT)) for path in [*ROOT.glob("*/locale/en/LC_MESSAGES/django.po"),
                                                    *ROOT.glob("locale/en/LC_MESSAGES/django.po")]),
)
def test_no_english_entry_uses_french_typography(catalog):
    offenders = [
        (entry.msgctxt, entry.msgid, text)
        for entry in polib.pofile(str(ROOT / catalog)) if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if french_typography(text)
    ]
    assert offenders == []


def test_the_typography_check_finds_french_spacing_and_quotes():
    assert french_typography("Motif : %(reason)s") == [" :"]
    assert french_typography("Annuler ?") == [" ?"]
    assert french_typography("Le type « Nouveau client »") == ["«", "»"]
    assert french_typography("Motif\u00a0: x") == ["\u00a0:"]
    assert french_typography("Reason: %(reason)s; see “Sites”? Yes! 10:30, /page?x=1") == []
