"""The browse's columns: read once from a django-tables2 table class, rendered to HTML in plain Python.

The table classes (``sites/tables.py``, ``opportunities/tables.py``) stay the declaration of a
list's columns: their names, headers, sort keys and special renderings. Instantiating a
django-tables2 table on every request and resolving each cell through its accessors and
signature introspection cost the browse more than its SQL, so the browse reads the declaration
once per table class (``columns_of``) and writes each row as one string:

* a plain column reads the record's attribute (a choice field shows its label, a relation its
  text, an empty value the column's default); a relation to the catalog reads its text from
  ``mybusiness.references``, so the list's query needs no join for it;
* a column with a ``cell_renderer()`` (``DetailLinkColumn``) gives its own fast renderer;
* a column whose ``render`` takes only ``value`` and/or ``record`` is called with them;
* any other column (a ``TemplateColumn``, say) goes through django-tables2, cell by cell.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language
from django_tables2.rows import BoundRow

from catalog import references
from mybusiness.browse.html import escape

# What the table's default would be: django-tables2 shows an empty value as an em dash.
TABLE_DEFAULT = "—"


@dataclass(frozen=True)
class BrowseColumn:
    name: str
    header: Any  # lazy: translated when shown
    orderable: bool
    order_by: tuple[str, ...]  # ORM paths, ascending
    td_attrs: str  # the column's ``attrs["td"]``, written out
    column: tables.Column
    model: Any
    # The header as shown, per language: translated, capitalised and escaped once, not per request.
    titles: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def title(self) -> str:
        """The header as a list shows it, in the active language."""
        language = get_language()
        title = self.titles.get(language)
        if title is None:
            title = self.titles[language] = escape(capfirst(self.header))
        return title

    def renderer(self, table_factory: Callable[[], tables.Table]) -> Callable[[Any], str]:
        """A function of a record giving this column's cell as HTML (escaped)."""
        column, name = self.column, self.name
        accessor = str(column.accessor or name)
        fast = getattr(column, "cell_renderer", None)
        if fast is not None:
            return fast(accessor)
        default = escape(TABLE_DEFAULT if column.default is None else column.default)
        if type(column) is tables.Column or not _custom_render(column):
            read = _reader(self.model, accessor)

            def plain(record) -> str:
                value = read(record)
                return default if value in (None, "") else escape(value)

            return plain
        parameters = set(inspect.signature(column.render).parameters)
        if parameters <= {"value", "record"}:
            read = _reader(self.model, accessor)

            def rendered(record) -> str:
                value = read(record)
                if value in (None, ""):
                    return default
                arguments = {"value": value, "record": record}
                return escape(column.render(**{key: arguments[key] for key in parameters}))

            return rendered

        def through_django_tables2(record) -> str:
            return escape(BoundRow(record, table=table_factory()).get_cell(name))

        return through_django_tables2


def _custom_render(column) -> bool:
    return type(column).render is not tables.Column.render


def _reader(model, accessor: str) -> Callable[[Any], Any]:
    """Read ``accessor`` (``field``, ``relation__field``, a property or a method) from a record."""
    path = accessor.replace(".", "__").split("__")
    if len(path) == 1:
        try:
            field = model._meta.get_field(path[0])
        except FieldDoesNotExist:  # a property or a method of the record
            field = None
        if field is not None and field.choices:
            labels = {value: str(label) for value, label in field.flatchoices}  # translated once per page
            attribute = field.attname
            return lambda record: labels.get(getattr(record, attribute), getattr(record, attribute))
        if field is not None and field.many_to_one and references.is_registered(field.related_model):
            # A catalog entry: its text from the cache, no join and no instance per row.
            shown = references.texts(field.related_model)
            attribute = field.attname
            return lambda record: shown.get(getattr(record, attribute))

    def read(record):
        value = record
        for part in path:
            value = getattr(value, part, None)
            if callable(value):
                value = value()
            if value is None:
                return None
        return value

    return read


@cache
def columns_of(table_class) -> dict[str, BrowseColumn]:
    """The table class's columns in their sequence, by name."""
    model = table_class._meta.model
    sequence = table_class._meta.sequence or ()
    names = list(table_class.base_columns)
    if sequence:
        declared = [name for name in sequence if name != "..."]
        rest = [name for name in names if name not in declared]
        ordered = []
        for name in sequence:
            ordered.extend(rest if name == "..." else [name])
        names = [name for name in ordered if name in table_class.base_columns]
    columns = {}
    for name in names:
        column = table_class.base_columns[name]
        accessor = str(column.accessor or name).replace(".", "__")
        order_by = tuple(str(path).replace(".", "__") for path in column.order_by) if column.order_by else (accessor,)
        td = (column.attrs or {}).get("td") or {}
        columns[name] = BrowseColumn(
            name=name,
            header=column.verbose_name or name,
            orderable=column.orderable if column.orderable is not None else True,
            order_by=order_by,
            td_attrs=format_html_join("", ' {}="{}"', td.items()),
            column=column,
            model=model,
        )
    return columns


def sort_paths(column: BrowseColumn, *, descending: bool) -> list[str]:
    """The ORM ordering of a sort on ``column``: each of its paths flipped when descending."""
    if not descending:
        return list(column.order_by)
    return [path[1:] if path.startswith("-") else "-" + path for path in column.order_by]


def row_html(attrs: str, cells: list[tuple[str, str]]) -> str:
    """One ``<tr>``: ``attrs`` written out already, each cell (td attributes, escaped HTML)."""
    return "<tr " + attrs + ">" + "".join(f"<td{td}>{html}</td>" for td, html in cells) + "</tr>"

