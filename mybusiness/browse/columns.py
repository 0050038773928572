"""A list's columns, declared once: the browse writes its header, its filters and its rows from them
through the templates of ``mybusiness/jinja2/browse/``.

Each list declares a tuple of ``Column`` (``sites/tables.py``, ``opportunities/tables.py``). A cell
is a value read from the record, shown through the column's ``labels`` (a choice's label, a catalog
entry's text: looked up once per page, not per row) or its ``format``; the template escapes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language

# What an empty cell shows.
EMPTY = "—"


@dataclass(frozen=True)
class Column:
    name: str
    header: Any  # lazy: translated when shown
    # ORM paths of an ascending sort on this column; empty: the column's own field.
    order_by: tuple[str, ...] = ()
    orderable: bool = True
    # Where the value is read on the record (``field``, ``relation__field``, a property or a
    # method); empty: the column's name.
    attribute: str = ""
    # Called once per page: the text shown for each stored value (a choice's labels, a catalog's texts).
    labels: Callable[[], Mapping[Any, str]] | None = None
    # The value shown as text (an amount with its currency, a date in the language's format).
    format: Callable[[Any], str] | None = None
    css_class: str = ""
    # A link to the record's page, opened in a popup: the URL name, reversed with the record's value of ``link_lookup``.
    link_url_name: str = ""
    link_lookup: str = ""
    # The header as shown, per language: translated and capitalised once, not on every request.
    titles: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def title(self) -> str:
        """The header as a list shows it, in the active language."""
        language = get_language()
        title = self.titles.get(language)
        if title is None:
            title = self.titles[language] = capfirst(str(self.header))
        return title

    @property
    def sort_paths(self) -> tuple[str, ...]:
        return self.order_by or (self.attribute or self.name,)

    def reader(self, url: Callable[[str, Any], str] = lambda name, value: reverse(name, args=[value])):
        """A function of a record giving this column's cell (text, link URL or ""), for one page;
        ``url(name, value)`` reverses a link (the browse reverses each page's URLs once)."""
        path = (self.attribute or self.name).split("__")
        labels = self.labels() if self.labels is not None else None
        format_value = self.format
        url_name, lookup = self.link_url_name, self.link_lookup

        def read(record) -> tuple[str, str]:
            value = record
            for part in path:
                value = getattr(value, part, None)
                if callable(value):
                    value = value()
                if value is None:
                    break
            if labels is not None:
                value = labels.get(value, value)
            if value is None or value == "":
                return EMPTY, ""
            text = format_value(value) if format_value is not None else value
            return text, url(url_name, getattr(record, lookup)) if url_name else ""

        return read


def choice_labels(choices: Iterable[tuple[Any, Any]]) -> Callable[[], dict[Any, str]]:
    """``labels`` of a column holding a choice: each value's label, translated once per page."""
    return lambda: {value: str(label) for value, label in choices}


def sort_paths(column: Column, *, descending: bool) -> list[str]:
    """The ORM ordering of a sort on ``column``: each of its paths flipped when descending."""
    if not descending:
        return list(column.sort_paths)
    return [path[1:] if path.startswith("-") else "-" + path for path in column.sort_paths]
