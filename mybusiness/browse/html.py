"""The browse list's pieces, written in Python: the column headers, their filters, the count, the
pager and the column chooser.

Through the template engine these loops cost a list more than its rows (some three hundred nodes
per render); each piece here is one string with every value escaped. ``browse/list.html`` keeps
the page's structure; a header filter's answer (``rows_answer``) is only these pieces.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext


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


def csrf_input(csrf_token) -> str:
    """The hidden CSRF field of a POST form (nothing where no token was made, as ``{% csrf_token %}``)."""
    if not csrf_token or str(csrf_token) == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'


def htmx_link(url: str, *, key: str, mode: str, target: str = "") -> str:
    """The attributes of a link that reloads the list, or only its rows with ``target="rows"`` (and,
    on a full page, the address bar)."""
    url = escape(url)
    push = ' hx-push-url="true"' if mode == "page" else ""
    target = f"browse-{key}-{target}" if target else f"browse-{key}"
    return f'href="{url}" hx-get="{url}" hx-target="#{target}" hx-swap="outerHTML"{push}'


def header_cell(*, name: str, title: str, aria_sort: str, sort_url: str | None, key: str, mode: str) -> SafeString:
    """A column's ``<th>``: its title (escaped: ``BrowseColumn.title()``), a sort link when the column
    is orderable."""
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
    placeholder = escape(gettext("Filtrer…"))
    return mark_safe(  # noqa: S308
        f'<td><input type="text" {common} value="{escape(field["value"])}" class="form-control form-control-sm'
        f' browse-filter" placeholder="{placeholder}" autocomplete="off"></td>'
    )


def column_checkboxes(*, key: str, choices: list[dict]) -> SafeString:
    """The column chooser's checkboxes (a required column is shown checked and disabled); each
    choice's ``title`` is escaped already (``BrowseColumn.title()``)."""
    boxes = []
    for choice in choices:
        box_id = escape(f"browse-{key}-col-{choice['name']}")
        state = (" checked" if choice["checked"] else "") + (" disabled" if choice["required"] else "")
        boxes.append(
            f'<div class="form-check"><input class="form-check-input" type="checkbox" name="columns"'
            f' value="{escape(choice["name"])}" id="{box_id}"{state}>'
            f'<label class="form-check-label" for="{box_id}">{choice["title"]}</label></div>'
        )
    return mark_safe("".join(boxes))  # noqa: S308


def count_text(paginator) -> str:
    """« 3 résultats », or past the paginator's cap « Plus de 1 000 résultats : précisez les filtres »."""
    if paginator.count_is_capped:
        cap = floatformat(paginator.count_cap, "g")
        return escape(gettext("Plus de %(cap)s résultats : précisez les filtres") % {"cap": cap})
    count = paginator.count
    return escape(ngettext("%(counter)s résultat", "%(counter)s résultats", count) % {"counter": count})


PAGE_LINKS = (  # (name, rel, label); the labels are translated when written
    ("first", "", gettext_noop("Première")),
    ("previous", "prev", gettext_noop("Précédente")),
    ("next", "next", gettext_noop("Suivante")),
    ("last", "", gettext_noop("Dernière")),
)


def pager(*, page, paginator, urls: dict[str, str | None], key: str, mode: str) -> str:
    """The page links under the list, each reloading only the rows (none when one page holds all).
    Each link has an id, so that htmx gives a clicked link its focus back after the swap."""
    if paginator.num_pages <= 1:
        return ""
    if paginator.count_is_capped:
        position = gettext("Page %(n)s") % {"n": page.number}
    else:
        position = gettext("Page %(n)s sur %(total)s") % {"n": page.number, "total": paginator.num_pages}
    items = []
    for name, rel, label in PAGE_LINKS:
        url = urls[name]
        attrs = f'class="page-link" id="browse-{key}-page-{name}"' + (f' rel="{rel}"' if rel else "")
        if url:
            attrs += " " + htmx_link(url, key=key, mode=mode, target="rows")
        else:
            attrs += ' aria-disabled="true"'
        disabled = "" if url else " disabled"
        text = escape(gettext(label))
        items.append(f'<li class="page-item{disabled}"><a {attrs}>{text}</a></li>')
    pagination = escape(gettext("Pagination"))
    return (
        f'<nav class="mt-2 d-flex justify-content-between align-items-center" aria-label="{pagination}">'
        f'<span class="small text-body-secondary">{escape(position)}</span>'
        f'<ul class="pagination pagination-sm mb-0">{"".join(items)}</ul></nav>'
    )


def columns_menu(*, key: str, url: str, checkboxes: str, csrf_token, oob: bool = False) -> str:
    """The gear and its dropdown: the column chooser, posted with htmx (the whole list comes back)."""
    choose, shown = escape(gettext("Choisir les colonnes")), escape(gettext("Colonnes affichées"))
    apply, default = escape(gettext("Appliquer")), escape(gettext("Colonnes par défaut"))
    url = escape(url)
    swap_oob = ' hx-swap-oob="true"' if oob else ""
    return (
        f'<div class="dropdown" id="browse-{key}-columns"{swap_oob}>'
        '<button type="button" class="btn btn-outline-secondary btn-sm" data-bs-toggle="dropdown"'
        f' data-bs-auto-close="outside" aria-expanded="false" title="{choose}" data-browse-gear>'
        f'<i class="fa-solid fa-gear" aria-hidden="true"></i><span class="visually-hidden">{choose}</span></button>'
        f'<form class="dropdown-menu dropdown-menu-end p-3 browse-columns" method="post" action="{url}"'
        f' hx-post="{url}" hx-target="#browse-{key}" hx-swap="outerHTML">{csrf_input(csrf_token)}'
        f'<fieldset><legend class="fs-6 fw-semibold">{shown}</legend>'
        f"{checkboxes}</fieldset>"
        '<div class="d-flex gap-2 mt-2">'
        '<button type="submit" class="btn btn-primary btn-sm" data-browse-columns-apply>'
        f"{apply}</button>"
        '<button type="submit" class="btn btn-link btn-sm" name="reset" value="1">'
        f"{default}</button></div></form></div>"
    )


def tbody(*, key: str, rows: list[str], empty_text, colspan: int) -> str:
    """The rows' ``<tbody>``, the target a header filter's answer replaces."""
    if not rows:
        rows = [f'<tr><td colspan="{colspan}" class="text-body-secondary py-3">{escape(empty_text)}</td></tr>']
    return f'<tbody id="browse-{key}-rows">' + "".join(rows) + "</tbody>"


def rows_answer(*, key: str, tbody: str, sort_headers: str, count: str, pager: str, columns_menu: str) -> str:
    """The answer to a header filter or a page link: the rows' ``<tbody>``, swapped in place of the
    old one, then out of band what depends on them (the sort links, the count, the pager and the
    column chooser, whose URLs carry the filters), each in a ``<template>`` so that the header row
    parses. The filter inputs are not in it: what the user types meanwhile stays."""
    return (
        f"{tbody}\n"
        f'<template><tr id="browse-{key}-sorts" hx-swap-oob="innerHTML">{sort_headers}</tr></template>\n'
        f'<template><p id="browse-{key}-count" hx-swap-oob="innerHTML">{count}</p></template>\n'
        f'<template><div id="browse-{key}-pager" hx-swap-oob="innerHTML">{pager}</div></template>\n'
        f"<template>{columns_menu}</template>\n"
    )
