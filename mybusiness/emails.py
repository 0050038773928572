"""Emails rendered in the recipient's language, as text and HTML."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(*, template: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of ``template`` + ``_subject.txt`` / ``.txt`` / ``.html`` in ``language``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def send_templated_email(
    *,
    template: str,
    to: Iterable[str],
    language: str,
    context: dict,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> None:
    subject, text, html = render_email(template=template, language=language, context=context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to))
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()
