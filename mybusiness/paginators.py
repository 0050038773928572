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
