"""Column helpers for tables shown through the browse component."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_tables2 as tables

from mybusiness.browse.html import escape, reverse_each


class DetailLinkColumn(tables.Column):
    """A value that links to the record's page and opens it in a popup (``data-browse-detail``).

    ``url_name`` is reversed with ``getattr(record, lookup)``: a public identifier, never a pk.
    """

    def __init__(self, *args, url_name: str, lookup: str, **kwargs):
        self.url_name, self.lookup = url_name, lookup
        super().__init__(*args, **kwargs)

    def cell_renderer(self, accessor: str) -> Callable[[Any], str]:
        """The browse's renderer of this column's cells (``mybusiness.browse.columns``)."""
        url, lookup = reverse_each(self.url_name), self.lookup

        def render(record) -> str:
            href, text = escape(url(getattr(record, lookup))), escape(getattr(record, accessor))
            return f'<a href="{href}" class="browse-detail-link" data-browse-detail>{text}</a>'

        return render
