"""Panels an upper app adds to a lower app's page, without the lower app naming it.

A page of a lower app (a site's page, in ``sites``) declares a slot; an upper app (``orders``)
registers, from its ``AppConfig.ready()``, a template and a function giving its context. The page
renders its slot with ``{% panels "slot" object as shown %}`` (``mybusiness.templatetags.panels``),
so imports and template loads keep pointing down (design.md §8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    template_name: str
    # (request, the page's object) -> the template's context
    get_context: Callable[[HttpRequest, Any], dict[str, Any]]


_slots: dict[str, list[Panel]] = {}


def register_panel(slot: str, *, template_name: str, get_context: Callable[[HttpRequest, Any], dict[str, Any]]) -> None:
    """Show ``template_name`` in ``slot`` of a lower app's page; registering twice shows it once."""
    panel = Panel(template_name, get_context)
    panels = _slots.setdefault(slot, [])
    if panel not in panels:
        panels.append(panel)


def render_panels(slot: str, *, request: HttpRequest, obj: Any) -> list[SafeString]:
    """Each panel registered for ``slot``, rendered for ``obj`` (with the request's context processors)."""
    return [
        render_to_string(panel.template_name, panel.get_context(request, obj), request=request)
        for panel in _slots.get(slot, ())
    ]
