"""The browse component: one class renders any list as a full page or in a modal (design.md §6).

Subclass ``BrowseView`` and set ``list_key``, ``title``, ``filterset_class`` (django-filter),
``columns`` (``mybusiness.browse.columns.Column``) and ``get_queryset()`` (already scoped to the user), plus
``value_attr`` (the public identifier a selection hands over) and ``detail_url_name``. Each filter
whose name is a column's name becomes that column's header filter. The list is written by
the Jinja2 templates of ``mybusiness/jinja2/browse/``. The user's column choice is
kept on the user's row per list (``mybusiness.browse.preferences``); ``required_columns`` are always shown.

Every render costs a fixed number of queries: one COUNT, one page of rows
(the subclass's queryset should ``select_related`` what its columns show). The COUNT stops at
``BrowsePaginator.count_cap`` rows: past it the list says « more than 1,000 results », since
nobody pages through a thousand rows when a header filter finds the one they want.

A picker inside an order (journeys.md, rule 3) sets ``show_all_label`` and overrides ``fitting()``
and ``unfit_reasons()``: it lists by default only the rows the order can use; its switch shows the
others too, each with its reasons and no way to choose it.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import engines
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from mybusiness.browse import preferences
from mybusiness.browse.columns import Column, sort_paths
from mybusiness.jinja2_environment import Fragment
from mybusiness.paginators import CappedCountPaginator

MODES = ("page", "modal")


def browse_ids(key: str) -> dict[str, str]:
    """The ids of a list's parts, written here only: the templates and the htmx target checks read them."""
    ids = {
        part: f"browse-{key}-{part}" for part in ("rows", "sorts", "count", "pager", "columns", "help", "show-all")
    }
    ids.update(
        list=f"browse-{key}",
        filter=f"browse-{key}-filter-%s",  # the filter form's auto_id
        column_box=f"browse-{key}-col-",  # + the column's name
        page_link=f"browse-{key}-page-",  # + first, previous, next or last
        reason=f"browse-{key}-reason-",  # + the row's position on the page
    )
    return ids


class BrowseRow(NamedTuple):
    """A row as the template writes it: the value a selection hands over, the row's label, its page's
    URL, its cells (CSS class, text, link URL or "") and, in a picker, why it cannot be chosen."""

    value: Any
    label: str
    url: str
    cells: list[tuple[str, Any, str]]
    reasons: tuple[str, ...] = ()


class BrowsePaginator(CappedCountPaginator):
    """The browse's pages: a capped count, and none at all when the first page holds every match."""

    count_cap = 1_000
    first_rows: list | None = None

    @cached_property
    def count(self) -> int:
        if self.first_rows is not None and len(self.first_rows) <= self.per_page:
            return len(self.first_rows)
        return super().count

    def get_page(self, number):
        if str(number or "1").strip() != "1":
            return super().get_page(number)
        # Page 1 (what a header filter asks for): read one row more than a page. Fewer rows than that
        # are the whole answer, so the COUNT, which costs as much as the search itself, is skipped.
        self.first_rows = list(self.object_list[: self.per_page + 1])
        return Page(self.first_rows[: self.per_page], 1, self)


class BrowseView(View):
    list_key: ClassVar[str]
    title: ClassVar[Any]
    filterset_class: ClassVar[type]
    columns: ClassVar[tuple[Column, ...]]
    # Columns shown when the user has chosen none; None: every column.
    default_columns: ClassVar[tuple[str, ...] | None] = None
    required_columns: ClassVar[tuple[str, ...]] = ()
    value_attr: ClassVar[str] = "pk"
    detail_url_name: ClassVar[str | None] = None
    paginate_by: ClassVar[int] = 25
    default_sort: ClassVar[str | None] = None
    page_template_name: ClassVar[str] = "browse/page.html"
    modal_template_name: ClassVar[str] = "browse/modal.html"
    # Jinja2 templates (mybusiness/jinja2/browse/): the list, and a header filter's answer.
    list_template_name: ClassVar[str] = "browse/list.html"
    rows_template_name: ClassVar[str] = "browse/rows_answer.html"
    # The button under the list: in a modal it hands the chosen row to the field that opened it; on
    # a full page it opens the row's own page.
    select_label: ClassVar[Any] = _("Valider la sélection")
    open_label: ClassVar[Any] = _("Ouvrir la fiche")
    empty_text: ClassVar[Any] = _("Aucun résultat ne correspond à ces filtres.")
    # A picker's switch (« Afficher tous les sites »); None: every row can be chosen.
    show_all_label: ClassVar[Any] = None
    show_all_param: ClassVar[str] = "tout"

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def fitting(self, queryset: QuerySet) -> QuerySet:
        """A picker's rows that can be chosen, shown by default."""
        return queryset

    def unfit_reasons(self, records: list) -> dict[Any, list[str]]:
        """A picker's reasons, by row value, why each of ``records`` (a page) cannot be chosen."""
        return {}

    @property
    def shows_all(self) -> bool:
        return self.show_all_label is not None and self.request.GET.get(self.show_all_param) == "1"

    # --- columns -------------------------------------------------------------------------------

    def all_columns(self) -> list[str]:
        return [column.name for column in self.columns]

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
        ids = browse_ids(self.list_key)
        if target == ids["rows"]:
            # A header filter or a page link: the rows and what depends on them, never the filter
            # inputs, so that what the user types while the answer travels is not replaced.
            return self._render_jinja2(self.rows_template_name, self.get_context_data(rows_answer=True))
        context = self.get_context_data()
        if target == ids["list"]:
            return self._render_jinja2(self.list_template_name, context)
        template = self.modal_template_name if self.mode == "modal" else self.page_template_name
        return render(request, template, {**context, "browse_list": self._list_module(context)})

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Save the column choice, then show the list again with the same filters."""
        if "reset" in request.POST:
            self.reset_columns()
        else:
            self.save_columns(request.POST.getlist("columns"))
        if not request.htmx:
            query = request.GET.urlencode()
            return HttpResponseRedirect(self.list_url() + (f"?{query}" if query else ""))
        return self._render_jinja2(self.list_template_name, self.get_context_data())

    @staticmethod
    def _render_jinja2(template_name: str, context: dict[str, Any]) -> HttpResponse:
        # Without the request: the list's context holds all it shows (the CSRF token included),
        # and the context processors, which the list does not use, are not run.
        return HttpResponse(engines["jinja2"].get_template(template_name).render(context))

    def _list_module(self, context: dict[str, Any]):
        """The list for a Django page to write out with ``{% include browse_list %}``."""
        return Fragment(self.list_template_name, context)

    def rows(self, columns: list[Column], records, reasons: dict[Any, list[str]] | None = None) -> list[BrowseRow]:
        """The page's rows, each the values its template writes out (``reasons``: a picker's, by value)."""
        reasons = reasons or {}
        value_attr, url_name = self.value_attr, self.detail_url_name
        reversed_urls: dict[tuple[str, Any], str] = {}

        def url(name: str, value) -> str:
            # A row's page is also its number's link: reversed once.
            key = (name, value)
            if key not in reversed_urls:
                reversed_urls[key] = reverse(name, args=[value])
            return reversed_urls[key]

        cells = [(column.css_class, column.reader(url)) for column in columns]
        rows = []
        for record in records:
            value = getattr(record, value_attr)
            rows.append(
                BrowseRow(
                    value=value,
                    label=str(record),
                    url=url(url_name, value) if url_name else "",
                    cells=[(css_class, *read(record)) for css_class, read in cells],
                    reasons=tuple(reasons.get(value, ())),
                )
            )
        return rows

    @staticmethod
    def _header_filter(field, header) -> dict[str, Any]:
        """A header filter's input: a select with its options, or a text input."""
        value = field.value()
        current = "" if value is None else str(value)
        options = None
        if field.widget_type == "select":
            options = [(str(choice), label, str(choice) == current) for choice, label in field.field.choices]
        return {
            "name": field.html_name,
            "id": field.auto_id,
            "value": current,
            "options": options,
            "aria_label": _("Filtrer la colonne « %(column)s »") % {"column": header},
        }

    def _url(self, **changes: Any) -> str:
        query = self._query(**changes)
        return f"{self.list_url()}?{query}" if query else self.list_url()

    def _query(self, **changes: Any) -> str:
        """The request's query string with ``changes`` applied (``None`` removes a key)."""
        pairs = [(key, value) for key, values in self.request.GET.lists() for value in values if key not in changes]
        pairs += [(key, str(value)) for key, value in changes.items() if value is not None]
        return urlencode(pairs)

    def sorted_queryset(self, queryset: QuerySet, sort: str | None) -> tuple[QuerySet, str, str | None]:
        """The queryset in the order ``sort`` asks for (a column's name, ``-`` first for descending),
        with the sort applied (``""`` when it names no orderable column) and the sorted column."""
        name = (sort or "").removeprefix("-")
        column = next((column for column in self.columns if column.name == name), None)
        if column is None or not column.orderable:
            return queryset, "", None
        return queryset.order_by(*sort_paths(column, descending=sort.startswith("-"))), sort, name

    @staticmethod
    def count_text(paginator: BrowsePaginator) -> str:
        """« 3 résultats », or past the paginator's cap « Plus de 1 000 résultats : précisez les filtres »."""
        if paginator.count_is_capped:
            cap = floatformat(paginator.count_cap, "g")
            return gettext("Plus de %(cap)s résultats : précisez les filtres") % {"cap": cap}
        count = paginator.count
        return ngettext("%(counter)s résultat", "%(counter)s résultats", count) % {"counter": count}

    def pager(self, page, paginator: BrowsePaginator) -> dict[str, Any] | None:
        """The page links under the list (none when one page holds all)."""
        if paginator.num_pages <= 1:
            return None
        if paginator.count_is_capped:
            position = gettext("Page %(n)s") % {"n": page.number}
        else:
            position = gettext("Page %(n)s sur %(total)s") % {"n": page.number, "total": paginator.num_pages}
        urls = {
            "first": self._url(page=1) if page.number > 1 else None,
            "previous": self._url(page=page.previous_page_number()) if page.has_previous() else None,
            "next": self._url(page=page.next_page_number()) if page.has_next() else None,
            "last": self._url(page=paginator.num_pages)
            if page.number < paginator.num_pages and not paginator.count_is_capped
            else None,
        }
        labels = {
            "first": gettext("Première"), "previous": gettext("Précédente"),
            "next": gettext("Suivante"), "last": gettext("Dernière"),
        }
        rels = {"previous": "prev", "next": "next"}
        return {
            "position": position,
            "links": [{"name": name, "rel": rels.get(name, ""), "label": labels[name], "url": url}
                      for name, url in urls.items()],
        }

    def get_context_data(self, *, rows_answer: bool = False) -> dict[str, Any]:
        """The list's context; for a header filter's answer (``rows_answer``), without the header
        filters' inputs."""
        key = self.list_key
        ids = browse_ids(key)
        queryset = self.get_queryset()
        show_all = self.shows_all
        if self.show_all_label is not None and not show_all:
            queryset = self.fitting(queryset)
        filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        visible = self.visible_columns()
        columns = [column for column in self.columns if column.name in visible]
        titles = {column.name: column.title() for column in self.columns}
        queryset, sort, sorted_name = self.sorted_queryset(
            queryset, self.request.GET.get("sort") or self.default_sort
        )
        paginator = BrowsePaginator(queryset, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))

        form = filterset.form
        form.auto_id = ids["filter"]
        list_url = self.list_url()
        headers = []
        # The sort links: the query without its sort and page, then each column's sort.
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
            header = {"name": column.name, "title": titles[column.name], "aria_sort": ordering, "sort_url": sort_url}
            if not rows_answer:
                header["filter"] = (
                    self._header_filter(form[column.name], column.header) if column.name in form.fields else None
                )
            headers.append(header)
        mode = self.mode
        records = list(page.object_list)
        empty_text = self.empty_text
        show_all_switch = None
        if self.show_all_label is not None:
            show_all_switch = {
                "id": ids["show-all"], "name": self.show_all_param, "label": self.show_all_label, "checked": show_all
            }
            if not show_all:
                empty_text = gettext(
                    "Aucune ligne utilisable par cette commande ne correspond à ces filtres : « %(switch)s » "
                    "montre les autres, avec la raison qui les écarte."
                ) % {"switch": self.show_all_label}
        return {
            "key": key,
            "ids": ids,
            "title": self.title,
            "mode": mode,
            "headers": headers,
            "sort": sort,
            "list_url": list_url,
            "rows": self.rows(columns, records, self.unfit_reasons(records) if show_all else None),
            "colspan": len(headers),
            "empty_text": empty_text,
            "show_all": show_all_switch,
            "count": self.count_text(paginator),
            "pager": self.pager(page, paginator),
            "columns_menu": {
                "url": self._url(page=None),
                "csrf_token": get_token(self.request),
                "choices": [
                    {
                        "name": column.name,
                        "title": titles[column.name],
                        "checked": column.name in visible,
                        "required": column.name in self.required_columns,
                    }
                    for column in self.columns
                ],
            },
            "button_label": self.select_label if mode == "modal" else self.open_label,
        }
