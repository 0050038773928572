"""The browse list's repeated pieces, written in Python: the column headers, their filters and the
column chooser's checkboxes.

Through the template engine these loops cost a list more than its rows (some three hundred nodes
per render); each piece here is one string with every value escaped. ``browse/list.html`` keeps
the page's structure.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext


def escape(value) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper, which costs more than the
    escaping over the few hundred values a list writes: safe HTML as is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def reverse_each(url_name: str, *, after: tuple = (), placeholder: str = "__value__") -> Callable[[Any], str]:
    """``reverse(url_name, args=[value, *after])`` for each row of a page: reversed once, then only
    ``value`` changes, quoted as ``reverse`` quotes it. ``placeholder`` must match the argument's
    converter (a UUID for ``<uuid:...>``); the values are not checked against it."""
    template = reverse(url_name, args=[placeholder, *after])
    return lambda value: template.replace(placeholder, quote(str(value), safe=RFC3986_SUBDELIMS + "/~:@"))


SORT_ICONS = {
    "ascending": '<i class="fa-solid fa-sort-up" aria-hidden="true"></i>',
    "descending": '<i class="fa-solid fa-sort-down" aria-hidden="true"></i>',
    "none": '<i class="fa-solid fa-sort text-body-tertiary" aria-hidden="true"></i>',
}


def htmx_link(url: str, *, key: str, mode: str) -> str:
    """The attributes of a link that reloads the list (and, on a full page, the address bar)."""
    url = escape(url)
    push = ' hx-push-url="true"' if mode == "page" else ""
    return f'href="{url}" hx-get="{url}" hx-target="#browse-{key}" hx-swap="outerHTML"{push}'


def header_cell(*, name: str, label, aria_sort: str, sort_url: str | None, key: str, mode: str) -> SafeString:
    """A column's ``<th>``: its title, a sort link when the column is orderable."""
    title = escape(capfirst(label))
    if sort_url is not None:
        title = (
            f'<a {htmx_link(sort_url, key=key, mode=mode)} class="browse-sort link-body-emphasis text-decoration-none"'
            f' data-browse-sort="{escape(name)}">{title} {SORT_ICONS[aria_sort]}</a>'
        )
    return mark_safe(f'<th scope="col" aria-sort="{aria_sort}" class="text-nowrap">{title}</th>')  # noqa: S308


def filter_cell(field: dict | None) -> SafeString:
    """A column's header filter ``<td>``: a select, a text input, or nothing."""
    if field is None:
        return mark_safe("<td></td>")
    common = f'name="{escape(field["name"])}" id="{escape(field["id"])}" aria-label="{escape(field["aria_label"])}"'
    if field["options"] is not None:
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'
            for value, label, selected in field["options"]
        )
        select = f'<select {common} class="form-select form-select-sm browse-filter" autocomplete="off">'
        return mark_safe(f"<td>{select}{options}</select></td>")  # noqa: S308
    return mark_safe(  # noqa: S308
        f'<td><input type="text" {common} value="{escape(field["value"])}" class="form-control form-control-sm'
        f' browse-filter" placeholder="{escape(gettext("Filtrer…"))}" autocomplete="off"></td>'
    )


def column_checkboxes(*, key: str, choices: list[dict]) -> SafeString:
    """The column chooser's checkboxes (a required column is shown checked and disabled)."""
    boxes = []
    for choice in choices:
        box_id = escape(f"browse-{key}-col-{choice['name']}")
        state = (" checked" if choice["checked"] else "") + (" disabled" if choice["required"] else "")
        boxes.append(
            f'<div class="form-check"><input class="form-check-input" type="checkbox" name="columns"'
            f' value="{escape(choice["name"])}" id="{box_id}"{state}>'
            f'<label class="form-check-label" for="{box_id}">{escape(capfirst(choice["label"]))}</label></div>'
        )
    return mark_safe("".join(boxes))  # noqa: S308
