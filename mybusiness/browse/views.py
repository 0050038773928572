"""The browse component: one class renders any list as a full page or in a modal (design.md §6).

Subclass ``BrowseView`` and set ``list_key``, ``title``, ``filterset_class`` (django-filter),
``table_class`` (django-tables2) and ``get_queryset()`` (already scoped to the user), plus
``value_attr`` (the public identifier a selection hands over) and ``detail_url_name``. Each filter
whose name is a column's name becomes that column's header filter. The user's column choice is
kept on the user's row per list (``mybusiness.browse.preferences``); ``required_columns`` are always shown.

Every render costs a fixed number of queries: one COUNT, one page of rows
(the subclass's queryset should ``select_related`` what its columns show). The COUNT stops at
``BrowsePaginator.count_cap`` rows: past it the list says « more than 1,000 results », since
nobody pages through a thousand rows when a header filter finds the one they want.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View

from mybusiness.browse import html, preferences
from mybusiness.browse.columns import BrowseColumn, columns_of, row_html, sort_paths
from mybusiness.browse.filters import select_options
from mybusiness.browse.html import escape, reverse_each
from mybusiness.paginators import CappedCountPaginator

MODES = ("page", "modal")


class BrowsePaginator(CappedCountPaginator):
    """The browse's pages: a capped count, and none at all when the first page holds every match."""

    count_cap = 1_000

    def get_page(self, number):
        if str(number or "1").strip() != "1":
            return super().get_page(number)
        # Page 1 (what a header filter asks for): read one row more than a page. Fewer rows than that
        # are the whole answer, so the COUNT, which costs as much as the search itself, is skipped.
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["count"] = len(rows)
        return self._get_page(rows[: self.per_page], 1, self)


class BrowseView(View):
    list_key: ClassVar[str]
    title: ClassVar[Any]
    filterset_class: ClassVar[type]
    table_class: ClassVar[type]
    # Columns shown when the user has chosen none; None: every column of the table.
    default_columns: ClassVar[tuple[str, ...] | None] = None
    required_columns: ClassVar[tuple[str, ...]] = ()
    value_attr: ClassVar[str] = "pk"
    detail_url_name: ClassVar[str | None] = None
    paginate_by: ClassVar[int] = 25
    default_sort: ClassVar[str | None] = None
    page_template_name: ClassVar[str] = "browse/page.html"
    modal_template_name: ClassVar[str] = "browse/modal.html"
    list_template_name: ClassVar[str] = "browse/list.html"
    # The button under the list: in a modal it hands the chosen row to the field that opened it; on
    # a full page it opens the row's own page.
    select_label: ClassVar[Any] = _("Valider la sélection")
    open_label: ClassVar[Any] = _("Ouvrir la fiche")
    empty_text: ClassVar[Any] = _("Aucun résultat ne correspond à ces filtres.")

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    # --- columns -------------------------------------------------------------------------------

    def all_columns(self) -> list[str]:
        return list(columns_of(self.table_class))

    def visible_columns(self) -> list[str]:
        known = self.all_columns()
        chosen = preferences.chosen_columns(self.request.user, self.list_key)
        if chosen is None:
            chosen = self.default_columns or known
        visible = [name for name in known if name in chosen or name in self.required_columns]
        return visible or known

    def save_columns(self, columns: list[str]) -> None:
        wanted = set(columns)
        chosen = [name for name in self.all_columns() if name in wanted]
        preferences.choose(self.request.user, self.list_key, chosen)

    def reset_columns(self) -> None:
        preferences.forget(self.request.user, self.list_key)

    # --- request handling ----------------------------------------------------------------------

    @property
    def mode(self) -> str:
        mode = self.request.GET.get("mode")
        return mode if mode in MODES else "page"

    def list_url(self) -> str:
        return self.request.path

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = self._answer(request)
        # One URL, three answers (the page, the list, the rows): caches must tell them apart.
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response

    def _answer(self, request: HttpRequest) -> HttpResponse:
        target = request.htmx.target if request.htmx else None
        if target == f"browse-{self.list_key}-rows":
            # A header filter or a page link: the rows and what depends on them, never the filter
            # inputs, so that what the user types while the answer travels is not replaced.
            context = self.get_context_data(rows_answer=True)
            return HttpResponse(
                html.rows_answer(
                    key=self.list_key,
                    tbody=context["tbody"],
                    sort_headers="".join(header["th"] for header in context["headers"]),
                    count=context["count"],
                    pager=context["pager"],
                    columns_menu=context["columns_menu"],
                )
            )
        context = self.get_context_data()
        if target == f"browse-{self.list_key}":
            template = self.list_template_name
        elif self.mode == "modal":
            template = self.modal_template_name
        else:
            template = self.page_template_name
        return render(request, template, context)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Save the column choice, then show the list again with the same filters."""
        if "reset" in request.POST:
            self.reset_columns()
        else:
            self.save_columns(request.POST.getlist("columns"))
        if not request.htmx:
            query = request.GET.urlencode()
            return HttpResponseRedirect(self.list_url() + (f"?{query}" if query else ""))
        return render(request, self.list_template_name, self.get_context_data())

    def rows(self, columns: list[BrowseColumn], records) -> list[SafeString]:
        """The page's ``<tr>`` elements, written in Python (see ``mybusiness.browse.columns``)."""
        value_attr, url_name = self.value_attr, self.detail_url_name
        detail_url = reverse_each(url_name) if url_name else None
        table: list = []  # built only if a column needs django-tables2 itself

        def table_factory():
            if not table:
                table.append(self.table_class(self.get_queryset().none()))
            return table[0]

        cells = [(column.td_attrs, column.renderer(table_factory)) for column in columns]
        rows = []
        for record in records:
            value = getattr(record, value_attr)
            attrs = (
                f'class="browse-row" tabindex="0" aria-selected="false" data-browse-value="{escape(value)}"'
                f' data-browse-label="{escape(record)}"'
            )
            if detail_url:
                attrs += f' data-browse-url="{escape(detail_url(value))}"'
            rows.append(mark_safe(row_html(attrs, [(td, render(record)) for td, render in cells])))  # noqa: S308
        return rows

    @staticmethod
    def _header_filter(field, header) -> dict[str, Any]:
        """A header filter's input, written out by the template: a select with its options, or a text input."""
        value = field.value()
        return {
            "name": field.html_name,
            "id": field.auto_id,
            "value": "" if value is None else str(value),
            "options": select_options(field) if field.widget_type == "select" else None,
            "aria_label": _("Filtrer la colonne « %(column)s »") % {"column": header},
        }

    def _url(self, **changes: Any) -> str:
        query = self._query(**changes)
        return f"{self.list_url()}?{query}" if query else self.list_url()

    def _query(self, **changes: Any) -> str:
        """The request's query string with ``changes`` applied (``None`` removes a key)."""
        if not hasattr(self, "_query_pairs"):
            self._query_pairs = [(key, value) for key, values in self.request.GET.lists() for value in values]
        pairs = [(key, value) for key, value in self._query_pairs if key not in changes]
        pairs += [(key, str(value)) for key, value in changes.items() if value is not None]
        return urlencode(pairs)

    def sorted_queryset(self, queryset: QuerySet, sort: str | None) -> tuple[QuerySet, str, str | None]:
        """The queryset in the order ``sort`` asks for (a column's name, ``-`` first for descending),
        with the sort applied (``""`` when it names no orderable column) and the sorted column."""
        name = (sort or "").removeprefix("-")
        column = columns_of(self.table_class).get(name)
        if column is None or not column.orderable:
            return queryset, "", None
        return queryset.order_by(*sort_paths(column, descending=sort.startswith("-"))), sort, name

    def get_context_data(self, *, rows_answer: bool = False) -> dict[str, Any]:
        """The list's context; for a header filter's answer (``rows_answer``), without the header
        filters' inputs and with the column chooser marked to swap out of band."""
        key = self.list_key
        filterset = self.filterset_class(self.request.GET or None, queryset=self.get_queryset(), request=self.request)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        all_columns = columns_of(self.table_class)
        visible = self.visible_columns()
        columns = [column for name, column in all_columns.items() if name in visible]
        queryset, sort, sorted_name = self.sorted_queryset(
            queryset, self.request.GET.get("sort") or self.default_sort
        )
        paginator = BrowsePaginator(queryset, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))

        form = filterset.form
        form.auto_id = f"browse-{key}-filter-%s"
        list_url = self.list_url()
        mode = self.mode
        headers = []
        # The sort links: the query without its sort and page, then each column's sort (as _url writes it).
        unsorted = self._query(sort=None, page=None)
        sort_url_prefix = f"{list_url}?{unsorted}&" if unsorted else f"{list_url}?"
        for column in columns:
            ordering = "none"
            if column.name == sorted_name:
                ordering = "descending" if sort.startswith("-") else "ascending"
            sort_url = None
            if column.orderable:
                reverse_or_this = f"-{column.name}" if ordering == "ascending" else column.name
                sort_url = sort_url_prefix + urlencode([("sort", reverse_or_this)])
            header = {
                "th": html.header_cell(
                    name=column.name, title=column.title(), aria_sort=ordering, sort_url=sort_url, key=key, mode=mode
                ),
            }
            if not rows_answer:
                field = self._header_filter(form[column.name], column.header) if column.name in form.fields else None
                header["filter"] = html.filter_cell(field)
            headers.append(header)
        page_urls = {
            "previous": self._url(page=page.previous_page_number()) if page.has_previous() else None,
            "next": self._url(page=page.next_page_number()) if page.has_next() else None,
            "first": self._url(page=1) if page.number > 1 else None,
            "last": self._url(page=paginator.num_pages)
            if page.number < paginator.num_pages and not paginator.count_is_capped
            else None,
        }
        columns_menu = html.columns_menu(
            key=key,
            url=self._url(page=None),
            csrf_token=get_token(self.request),
            checkboxes=html.column_checkboxes(
                key=key,
                choices=[
                    {
                        "name": name,
                        "title": column.title(),
                        "checked": name in visible,
                        "required": name in self.required_columns,
                    }
                    for name, column in all_columns.items()
                ],
            ),
            oob=rows_answer,
        )
        return {
            "key": key,
            "title": self.title,
            "mode": mode,
            "headers": headers,  # each column's "th" and, on a full list, its "filter" cell
            "sort": sort,
            "list_url": list_url,
            # The pieces written in Python (mybusiness.browse.html), every value escaped:
            "tbody": mark_safe(  # noqa: S308
                html.tbody(
                    key=key, rows=self.rows(columns, page.object_list), empty_text=self.empty_text, colspan=len(headers)
                )
            ),
            "count": mark_safe(html.count_text(paginator)),  # noqa: S308
            "pager": mark_safe(  # noqa: S308
                html.pager(page=page, paginator=paginator, urls=page_urls, key=key, mode=mode)
            ),
            "columns_menu": mark_safe(columns_menu),  # noqa: S308
            "button_label": self.select_label if mode == "modal" else self.open_label,
        }
