"""The Content-Security-Policy allows only the portal's own files: no template writes an inline style,
an inline script or an event-handler attribute, which the browser would refuse (a console error)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", ".tmp", "node_modules", ".git"}

# A style attribute or element, a script element without src, an on… event handler, a javascript: URL.
INLINE = {
    "style attribute": re.compile(r"""\sstyle\s*=""", re.IGNORECASE),
    "<style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "event-handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def template_files() -> list[Path]:
    folders = [
        path for path in ROOT.rglob("*")
        if path.is_dir() and path.name in {"templates", "jinja2"} and not SKIPPED & set(path.relative_to(ROOT).parts)
    ]
    return sorted(file for folder in folders for file in folder.rglob("*") if file.is_file())


def test_the_scan_sees_the_templates_of_every_app():
    apps = {file.relative_to(ROOT).parts[0] for file in template_files()}
    assert {"templates", "mybusiness", "orders", "sites", "opportunities", "certificates"} <= apps


@pytest.mark.parametrize("kind", INLINE)
def test_no_template_has_inline_code(kind):
    found = [
        f"{file.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}: {match.group(0).strip()}"
        for file in template_files()
        for text in [file.read_text(encoding="utf-8", errors="replace")]
        for match in INLINE[kind].finditer(text)
    ]
    assert not found, f"{kind} (refused by the Content-Security-Policy):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("snippet", "kind"),
    [
        ('<div style="width: 3em">', "style attribute"),
        ("<style>p {}</style>", "<style> element"),
        ("<script>alert(1)</script>", "inline <script>"),
        ('<script type="module">x()</script>', "inline <script>"),
        ('<button onclick="go()">', "event-handler attribute"),
        ('<a href="javascript:go()">', "javascript: URL"),
    ],
)
def test_the_scan_catches_each_kind(snippet, kind):
    assert INLINE[kind].search(snippet)


def test_the_scan_lets_scripts_with_src_through():
    assert not INLINE["inline <script>"].search('<script src="/static/js/portal.js"></script>')
    assert not INLINE["inline <script>"].search('<script defer src="/static/js/portal.js"></script>')
