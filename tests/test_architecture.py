"""Dependencies point one way in templates too (design.md §8): import-linter checks the Python
imports (``make test``); these tests check what it cannot see, the templates' ``{% load %}``,
``{% include %}`` and ``{% extends %}``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# From the bottom up; the project's own templates/ sit with the base app.
LAYERS = ["mybusiness", "webhooks", "catalog", "sites", "opportunities", "orders", "certificates", "backoffice"]
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
NAMED = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")


def layer_of(app: str) -> int:
    return LAYERS.index(app)


def template_files(app: str):
    folders = [ROOT / app / "templates", ROOT / app / "jinja2"]
    if app == "mybusiness":
        folders.append(ROOT / "templates")
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.suffix in (".html", ".txt"):
                    yield folder, path


def tag_libraries() -> dict[str, str]:
    """Each of the project's tag libraries, by its name, with the app that defines it."""
    return {
        module.stem: app
        for app in LAYERS
        for module in (ROOT / app / "templatetags").glob("*.py")
        if module.stem != "__init__"
    }


def template_owners() -> dict[str, str]:
    """Each of the project's template names with the app that holds it."""
    return {str(path.relative_to(folder)): app for app in LAYERS for folder, path in template_files(app)}


def test_it_knows_every_app_with_templates_or_tags():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"add {sorted(apps - set(LAYERS))} to LAYERS, where it sits"


@pytest.mark.parametrize("app", LAYERS)
def test_it_loads_no_tag_library_of_a_higher_app(app):
    libraries = tag_libraries()
    wrong = [
        f"{path.relative_to(ROOT)} loads {name} ({libraries[name]})"
        for _folder, path in template_files(app)
        for loaded in LOAD.findall(path.read_text(encoding="utf-8"))
        for name in loaded.split()
        if name in libraries and layer_of(libraries[name]) > layer_of(app)
    ]
    assert not wrong


@pytest.mark.parametrize("app", LAYERS)
def test_it_includes_or_extends_no_template_of_a_higher_app(app):
    owners = template_owners()
    wrong = [
        f"{path.relative_to(ROOT)} uses {name} ({owners[name]})"
        for _folder, path in template_files(app)
        for name in NAMED.findall(path.read_text(encoding="utf-8"))
        if name in owners and layer_of(owners[name]) > layer_of(app)
    ]
    assert not wrong


def test_the_checks_see_a_higher_library_loaded(tmp_path, monkeypatch):
    """The scan itself works: a site template loading the orders app's tags is found."""
    libraries = tag_libraries()
    assert libraries.get("odata") == "orders"
    text = "{% load i18n odata %}"
    names = [name for loaded in LOAD.findall(text) for name in loaded.split()]
    assert any(layer_of(libraries[name]) > layer_of("sites") for name in names if name in libraries)
