"""The Jinja2 environment of the templates under each app's ``jinja2/`` (settings.TEMPLATES).

It gives what the portal's Django templates use: ``static``, ``url``, the translations (the
``jinja2.ext.i18n`` extension with Django's functions: ``_("…")`` in a template is extracted by
``makemessages`` like a Django template's ``{{ _("…") }}``) and number/date formatting.
"""

from __future__ import annotations

from typing import Any

from django.template import engines
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from jinja2 import Environment


def url(name: str, *args) -> str:
    """``{% url name arg … %}``."""
    return reverse(name, args=args)


def environment(**options) -> Environment:
    # Autoescaped whatever TEMPLATES says: these templates write HTML only.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.globals.update(static=static, url=url)
    env.filters.update(localize=formats.localize, date_format=formats.date_format)
    return env


class Fragment:
    """A Jinja2 template and its context, for a Django template to write with ``{% include fragment %}``
    (Django's include takes any object whose ``render()`` accepts a context): a Django page keeps
    its layout, and its hot part is rendered by Jinja2, escaped there."""

    def __init__(self, template_name: str, context: dict[str, Any]) -> None:
        self.compiled = engines["jinja2"].get_template(template_name)  # not "template": {% include %} would unwrap it
        self.context = context

    def render(self, context=None) -> str:
        return self.compiled.render(self.context)
