"""The catalogs hold every string the portal shows: each one extracted, translated and current."""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mybusiness", "orders", "sites", "opportunities", "certificates")
TRANSLATING_CALLS = {
    "_", "gettext", "ngettext", "pgettext", "npgettext", "gettext_lazy", "ngettext_lazy", "pgettext_lazy",
    "gettext_noop",
}


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
    """The navigation bar and the browse list write their HTML in Python: their strings too must
    reach the catalogs (they once did not, from inside f-strings)."""
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext(msgid) == english
