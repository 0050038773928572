"""The portal's navigation bar (every full page's top), written in Python.

Through the template engine the bar cost a page about 1.4 ms: a dozen URL reversals, a dozen
translations, the language switch's loop and the active-section tests. Here it is one string per
part with every value escaped; the menu's entries are data (``PARTNER_ITEMS``, ``STAFF_ITEMS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


def csrf_input(csrf_token) -> str:
    """The hidden CSRF field (``mybusiness.browse.html`` is gone; this file moves to templates in its own change)."""
    if not csrf_token or str(csrf_token) == "NOTPROVIDED":
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)


@dataclass(frozen=True)
class Item:
    url_name: str
    label: Any  # a lazy translation
    icon: str
    shown_to: Callable[[Any], bool] = lambda user: True


PARTNER_ITEMS = (
    Item("order_list", _("Commandes"), "fa-file-invoice"),
    Item("site_list", _("Sites"), "fa-building"),
    Item("opportunity_list", _("Opportunités"), "fa-handshake"),
)
STAFF_ITEMS = (
    Item("site_list", _("Sites"), "fa-building", shown_to=lambda user: user.is_sales_admin),
    Item("admin:index", _("Administration"), "fa-screwdriver-wrench"),
)

_urls: dict[tuple, str] = {}


def url(name: str) -> str:
    """``reverse(name)``, kept per URL configuration and script prefix: the bar's links never take arguments."""
    key = (name, get_urlconf(), get_script_prefix())
    if key not in _urls:
        _urls[key] = reverse(name)
    return _urls[key]


def language_switch(request, csrf_token) -> str:
    """The FR/EN buttons: a POST to Django's ``set_language``, back to the same page."""
    current = get_language()
    buttons = []
    for code, name in settings.LANGUAGES:
        pressed = code == current
        title = escape(gettext(name))
        buttons.append(
            f'<button type="submit" name="language" value="{code}" class="btn'
            f' {"btn-light" if pressed else "btn-outline-light"}" lang="{code}"'
            f' aria-pressed="{"true" if pressed else "false"}" title="{title}">{code.upper()}</button>'
        )
    label = escape(gettext("Langue"))
    return (
        f'<form class="d-flex me-lg-3 my-2 my-lg-0" method="post" action="{escape(url("set_language"))}"'
        f' aria-label="{label}">{csrf_input(csrf_token)}'
        f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">'
        f'<div class="btn-group btn-group-sm" role="group">{"".join(buttons)}</div></form>'
    )


def _menu_items(user, path: str) -> str:
    if user.is_partner:
        items = PARTNER_ITEMS
    elif user.is_staff:
        items = STAFF_ITEMS
    else:
        items = ()
    links = []
    for item in items:
        if not item.shown_to(user):
            continue
        href = url(item.url_name)
        current = path.startswith(href) and href != "/"  # the item's section: its list and the pages under it
        link = 'class="nav-link active" aria-current="page"' if current else 'class="nav-link"'
        links.append(
            f'<li class="nav-item"><a {link} href="{escape(href)}">'
            f'<i class="fa-solid {item.icon} me-1" aria-hidden="true"></i>{escape(item.label)}</a></li>'
        )
    return "".join(links)


def _user_menu(user, csrf_token) -> str:
    details = escape(user.email)
    if user.partner_id:
        details += f"<br>{escape(user.partner.name)}"
    users_link = ""
    if user.is_partner_admin:
        users = escape(gettext("Utilisateurs de ma société"))
        users_link = (
            f'<li><a class="dropdown-item" href="{escape(url("partner_users"))}"><i class="fa-solid fa-users me-2"'
            f' aria-hidden="true"></i>{users}</a></li>'
        )
    change_password, log_out = escape(gettext("Changer de mot de passe")), escape(gettext("Se déconnecter"))
    return (
        '<ul class="navbar-nav"><li class="nav-item dropdown">'
        '<a class="nav-link dropdown-toggle" href="#" id="user-menu" role="button" data-bs-toggle="dropdown"'
        f' aria-expanded="false"><i class="fa-solid fa-circle-user me-1" aria-hidden="true"></i>'
        f"{escape(user.get_short_name())}</a>"
        '<ul class="dropdown-menu dropdown-menu-end" aria-labelledby="user-menu">'
        f'<li><span class="dropdown-item-text small text-body-secondary">{details}</span></li>'
        f'<li><hr class="dropdown-divider"></li>{users_link}'
        f'<li><a class="dropdown-item" href="{escape(url("password_change"))}"><i class="fa-solid fa-key me-2"'
        f' aria-hidden="true"></i>{change_password}</a></li>'
        f'<li><form method="post" action="{escape(url("logout"))}">{csrf_input(csrf_token)}'
        '<button type="submit" class="dropdown-item"><i class="fa-solid fa-right-from-bracket me-2"'
        f' aria-hidden="true"></i>{log_out}</button></form></li>'
        "</ul></li></ul>"
    )


def navbar(request, csrf_token) -> SafeString:
    """The bar: the brand; for a signed-in user the menu of their role, the language switch and
    their own menu; for a visitor the language switch alone."""
    user = getattr(request, "user", None)
    brand = (
        f'<a class="navbar-brand fw-semibold" href="{escape(url("home"))}"><i class="fa-solid fa-briefcase me-2"'
        ' aria-hidden="true"></i>myBusiness</a>'
    )
    if user is not None and user.is_authenticated:
        open_menu = escape(gettext("Ouvrir le menu"))
        body = (
            '<button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#main-nav"'
            f' aria-controls="main-nav" aria-expanded="false" aria-label="{open_menu}">'
            '<span class="navbar-toggler-icon"></span></button>'
            '<div class="collapse navbar-collapse" id="main-nav">'
            f'<ul class="navbar-nav me-auto">{_menu_items(user, request.path)}</ul>'
            f"{language_switch(request, csrf_token)}{_user_menu(user, csrf_token)}</div>"
        )
    else:
        body = language_switch(request, csrf_token)
    label = escape(gettext("Navigation principale"))
    return mark_safe(  # noqa: S308 (every value above is escaped)
        f'<nav class="navbar navbar-expand-lg navbar-dark bg-brand" aria-label="{label}">'
        f'<div class="container-xl">{brand}{body}</div></nav>'
    )
