"""The portal's navigation bar: the menu's entries are data, declared by each app on its AppConfig
(``menu_items``), so that the base app names none of them; the markup is
the Jinja2 fragment ``mybusiness/jinja2/mybusiness/navbar.html``, rendered by ``{% portal_navbar %}``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import reverse

PARTNER = "partner"
STAFF = "staff"


def everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: Any  # a lazy translation
    icon: str  # a Font Awesome class
    audience: str  # PARTNER or STAFF
    position: int  # the menu's order, across apps
    shown_to: Callable[[Any], bool] = everyone


@cache
def declared_items() -> tuple[MenuItem, ...]:
    """Every app's ``menu_items``, in menu order."""
    items = [item for config in apps.get_app_configs() for item in getattr(config, "menu_items", ())]
    return tuple(sorted(items, key=lambda item: item.position))


def menu(user, path: str) -> list[dict[str, Any]]:
    """The entries ``user``'s role sees, each with its address and whether ``path`` is in its section."""
    if not user.is_authenticated:
        return []
    audience = PARTNER if user.is_partner else STAFF if user.is_staff else None
    entries = []
    for item in declared_items():
        if item.audience != audience or not item.shown_to(user):
            continue
        href = reverse(item.url_name)
        entries.append(
            {
                "href": href,
                "label": item.label,
                "icon": item.icon,
                # The item's section: its list and the pages under it.
                "current": path.startswith(href) and href != "/",
            }
        )
    return entries
