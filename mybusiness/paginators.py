"""One paginator for lists that may hold a million rows (admin changelists, the browse component)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """A paginator that never counts a huge table row by row.

    Unfiltered, on PostgreSQL, a large table's count is the planner's estimate
    (``pg_class.reltuples``). Otherwise it counts at most ``count_cap`` + 1 matching rows
    (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``): a broad filter costs a bounded scan, and
    ``count_is_capped`` tells the page to say « more than cap » instead of a number.
    """

    count_cap = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None:
            return super().count
        if connection.vendor == "postgresql" and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] and row[0] > self.count_cap:
                return int(row[0])
        # Ordering is irrelevant to a capped count and would force walking an index in order.
        return queryset.order_by().values("pk")[: self.count_cap + 1].count()

    @property
    def count_is_capped(self) -> bool:
        """True when there are more rows than the count says (a filtered count stopped at its cap)."""
        return self.count == self.count_cap + 1 and bool(self.object_list.query.where)


class WindowPage:
    """A page of a list that shows no total: it knows whether a next page exists, not how many."""

    def __init__(self, rows: list, *, number: int, has_more: bool) -> None:
        self.object_list, self.number, self._has_more = rows, number, has_more

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def window_page(queryset, number, *, per_page: int, max_page: int = 400) -> WindowPage:
    """Page ``number`` of an ordered queryset without counting it: one query, one row more than a page.

    A malformed number is page 1; numbers stop at ``max_page`` (nobody pages past ten thousand rows,
    and an OFFSET of 2**63 is a database error); past the end, the first page.
    """
    try:
        number = min(max(int(str(number or "1").strip()), 1), max_page)
    except ValueError:
        number = 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        return window_page(queryset, 1, per_page=per_page, max_page=max_page)
    return WindowPage(rows[:per_page], number=number, has_more=len(rows) > per_page)
