"""What every CSV import shares (the sites' and, above them, the opportunities'): reading the file,
a row form's lookups by code, the per-row error text and the report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field
from import_export.formats.base_formats import CSV
from import_export.results import Error, RowResult


@dataclass
class ImportReport:
    created: list[tuple[int, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (line, number, reason)

    def write_to(self, command) -> None:
        """The report as a management command prints it: one line per row, then the totals."""
        for line, number in self.created:
            command.stdout.write(f"line {line}: {number} created")
        for line, number in self.updated:
            command.stdout.write(f"line {line}: {number} updated")
        for line, number, reason in self.refused:
            command.stdout.write(command.style.ERROR(f"line {line}: {number or '(no number)'} refused: {reason}"))
        summary = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.refused)} refused"
        )
        command.stdout.write(command.style.WARNING(summary) if self.refused else command.style.SUCCESS(summary))


def sniffed_dialect(text: str):
    """Comma, semicolon (a spreadsheet saving in French) or tab, guessed from the file's beginning."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


class SniffedCSV(CSV):
    """The admin's upload read as ``csv_rows`` reads it: the delimiter guessed, a byte-order mark dropped."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8")
        in_stream = in_stream.removeprefix("\ufeff")
        return super().create_dataset(in_stream, delimiter=sniffed_dialect(in_stream).delimiter, **kwargs)


def csv_rows(text: str, *, required: set[str]) -> tuple[set[str], Iterator[tuple[int, dict[str, str]]]]:
    """The file's columns and its rows as (line number, {column: stripped value}); the delimiter
    (comma, semicolon or tab) guessed. A file missing a ``required`` column is refused whole."""
    reader = csv.DictReader(io.StringIO(text), dialect=sniffed_dialect(text))
    columns = {name.strip() for name in reader.fieldnames or [] if name}
    missing = required - columns
    if missing:
        message = gettext("Colonnes obligatoires absentes du fichier : %(columns)s.")
        raise ValidationError(message % {"columns": ", ".join(sorted(missing))})
    rows = (
        (line, {key.strip(): (value or "").strip() for key, value in row.items() if key})
        for line, row in enumerate(reader, start=2)
    )
    return columns, rows


def error_text(form) -> str:
    """A refused row's reasons on one line: each field's label, name and errors."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        prefix = f"{label} ({name}) : " if name != "__all__" else ""
        parts.append(prefix + " ".join(str(e) for e in errors))
    return " ; ".join(parts)


class ImportRowForm(forms.ModelForm):
    """One CSV row: partner, generation and solution given by code and resolved from the
    dictionaries the import loads once (no query per row for them)."""

    partner = forms.CharField()
    generation = forms.CharField(required=False)
    solution = forms.CharField(required=False)

    def __init__(self, *args, partners: dict, generations: dict, solutions: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self._partners, self._generations, self._solutions = partners, generations, solutions

    def validate_unique(self):
        # The number is the key of the upsert: its uniqueness is the import's business, not an error.
        pass

    def _by_code(self, name: str, known: dict, message, *, required: bool = False):
        code = (self.cleaned_data.get(name) or "").strip()
        if not code and not required:
            return None
        if code not in known:
            raise ValidationError(message % {"code": code})
        return known[code]

    def clean_partner(self):
        return self._by_code("partner", self._partners, _("Partenaire inconnu : %(code)s."), required=True)

    def clean_generation(self):
        return self._by_code("generation", self._generations, _("Génération inconnue : %(code)s."))

    def clean_solution(self):
        return self._by_code("solution", self._solutions, _("Solution inconnue : %(code)s."))


class ServiceImportResource(resources.ModelResource):
    """django-import-export's upload, preview and confirmation in the admin, around one of the import
    services above: every row goes through the service's own checks, never a second set of rules.

    The preview runs the service in a transaction rolled back; the confirmed import runs it again and keeps
    it only if no row is refused (the file imports whole or not at all from the admin)."""

    columns: list[str] = []  # the file's columns, as the service reads them

    def run(self, *, text: str, user) -> ImportReport:
        raise NotImplementedError

    def get_user_visible_fields(self):
        # What the upload page lists as the file's columns.
        return [Field(column_name=name) for name in self.columns]

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        result = self.get_result_class()()
        result.diff_headers = list(dataset.headers or [])
        try:
            with transaction.atomic():
                report = self.run(text=dataset.export("csv"), user=kwargs.get("user"))
                if dry_run or report.refused:
                    transaction.set_rollback(True)
        except ValidationError as error:  # a column missing: the whole file is refused
            result.append_base_error(Error(ValueError(" ".join(error.messages))))
            return result
        kinds = {
            **{line: RowResult.IMPORT_TYPE_NEW for line, _number in report.created},
            **{line: RowResult.IMPORT_TYPE_UPDATE for line, _number in report.updated},
            **{line: RowResult.IMPORT_TYPE_SKIP for line, _number in report.unchanged},
        }
        refused = {line: reason for line, _number, reason in report.refused}
        for line, values in enumerate(dataset.dict, start=2):
            if line in refused:
                result.append_invalid_row(line, values, ValidationError(refused[line]))
                continue
            row = RowResult()
            row.import_type = kinds.get(line, RowResult.IMPORT_TYPE_SKIP)
            row.diff = [values.get(header, "") for header in result.diff_headers]
            result.increment_row_result_total(row)
            result.append_row_result(row)
        return result
