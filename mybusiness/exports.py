"""Lists exported as CSV or XLSX, written as the rows are read: 50,000 orders never sit in memory.

One way for every export of the portal and the back office: a list declares its columns once
(``Column``: a translated title and how to read a row), and ``export_response`` writes the rows it is
given (an iterator over a queryset's ``values()``, read in chunks) in the format asked for.

* CSV is streamed (``StreamingHttpResponse``): UTF-8 with a byte-order mark and « ; » between values,
  which is what Excel set to French expects to open a file with accents and decimal commas right.
* XLSX goes through openpyxl's write-only workbook, which keeps one row at a time and writes the sheet to
  a temporary file; the file is then sent (``FileResponse``) and deleted when closed.

A value a spreadsheet would run as a formula (a name typed by a partner beginning with « = », « + »,
« - », « @ ») is written with a leading apostrophe: opening an export never runs what someone typed.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format

FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[dict], object]


def field(name: str) -> Callable[[dict], object]:
    return lambda row: row[name]


def cell(value) -> object:
    """A value as a spreadsheet shows it: dates in the reader's language and time zone, text defused."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _table(rows: Iterable[dict], columns: list[Column]) -> Iterator[list]:
    yield [str(column.title) for column in columns]
    for row in rows:
        yield [cell(column.value(row)) for column in columns]


class _Echo:
    """The file-like object ``csv.writer`` writes into: each line is handed back instead of kept."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(table: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    for line in table:
        yield writer.writerow(line)


def export_response(*, rows: Iterable[dict], columns: list[Column], filename: str, file_format: str):
    """The rows as ``<filename>-<date>.<format>``, an attachment; an unknown format is a 404."""
    if file_format not in FORMATS:
        raise Http404
    name = f"{filename}-{timezone.localdate().isoformat()}.{file_format}"
    table = _table(rows, columns)
    if file_format == "csv":
        response = StreamingHttpResponse(_csv_lines(table), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for line in table:
        sheet.append(line)
    spooled = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it once sent
    workbook.save(spooled)
    spooled.seek(0)
    return FileResponse(spooled, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


def iterate(queryset) -> Iterator[dict]:
    """A queryset's rows read by chunks of a server-side cursor (PostgreSQL) rather than all at once."""
    return queryset.iterator(chunk_size=CHUNK_SIZE)
