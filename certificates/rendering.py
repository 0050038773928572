"""The certificate PDF: an HTML template in French rendered by WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

STYLESHEET = Path(__file__).resolve().parent / "pdf" / "certificate.css"


def render_certificate_pdf(*, context: dict) -> bytes:
    """PDF bytes of ``certificates/pdf/certificate.html``, always in French (the document's language)."""
    # Imported here: WeasyPrint loads Pango at import time, which only the issuing code needs.
    from weasyprint import CSS, HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("certificates/pdf/certificate.html", context)
    return HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
