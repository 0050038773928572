"""The partner's order list: each row's values, looked up once per page, for the Jinja2 template
``orders/jinja2/orders/order_rows.html`` (the page partners open most: through the Django engine
each row cost about half a millisecond, more than the page's SQL)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NamedTuple

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format

from catalog import references
from catalog.models import Generation, OrderType, Solution
from mybusiness.jinja2_environment import Fragment
from orders.models import EDITABLE_STATUSES, OrderStatus

# Django's date format letters that have a strftime twin; a format using any other letter (English's
# "P", "1:30 p.m.") goes through Django's formatter.
STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


def local_date_formatter(format_name: str) -> Callable[[datetime], str]:
    """A formatter of aware datetimes in the current language's ``format_name`` and local time zone,
    through ``strftime`` when the format allows it (a tenth of the cost of ``date_format``)."""
    django_format = get_format(format_name)
    zone = timezone.get_current_timezone()  # looked up once per page, not per date
    if re.fullmatch(r"[dmYyHis/.: -]*", django_format):
        pattern = re.sub(r"[dmYyHis]", lambda letter: STRFTIME[letter.group()], django_format)
        return lambda value: value.astimezone(zone).strftime(pattern)
    return lambda value: date_format(value.astimezone(zone), format_name)


class OrderRow(NamedTuple):
    """One row of the list, as its template writes it (attributes: Jinja2 reads them directly)."""

    detail_url: str
    number: str
    created: str
    order_type: str
    customer: str
    site_number: str
    generation: str
    solution: str
    status: str
    status_label: str
    updated: str
    is_draft: bool
    edit_url: str
    delete_url: str


def order_list_rows(orders: Iterable[dict], *, csrf_token: Callable[[], str]) -> Fragment:
    """The order list's ``<tr>`` elements, one per order (``orders`` as read by
    ``selectors.order_list_values``), for ``{% include rows %}``. ``csrf_token`` is called only if
    a row has a delete button."""
    statuses = {status.value: str(status.label) for status in OrderStatus}
    type_labels, generation_labels, solution_labels = (
        references.labels(model) for model in (OrderType, Generation, Solution)
    )
    short_date = local_date_formatter("SHORT_DATE_FORMAT")
    short_datetime = local_date_formatter("SHORT_DATETIME_FORMAT")
    rows = []
    for order in orders:
        public_id, status = order["public_id"], order["status"]
        rows.append(
            OrderRow(
                detail_url=reverse("order_detail", args=[public_id]),
                number=order["number"],
                created=short_date(order["created_at"]),
                order_type=type_labels.get(order["order_type_id"], "—"),
                customer=order["customer_name"] or "—",
                site_number=order["site_number"],
                generation=generation_labels.get(order["generation_id"], "—"),
                solution=solution_labels.get(order["solution_id"], "—"),
                status=status,
                status_label=statuses.get(status) or status,
                updated=short_datetime(order["updated_at"]),
                is_draft=status == OrderStatus.DRAFT,
                edit_url=reverse("order_wizard", args=[public_id, "type"]) if status in EDITABLE_STATUSES else "",
                delete_url=reverse("order_draft_delete", args=[public_id])
                if status == OrderStatus.DRAFT and not order["number"]
                else "",
            )
        )
    token = csrf_token() if any(row.delete_url for row in rows) else ""
    return Fragment("orders/order_rows.html", {"rows": rows, "csrf_token": token})
