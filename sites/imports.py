"""What every CSV import shares (the sites' and, above them, the opportunities'): reading the file,
a row form's lookups by code, the per-row error text and the report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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


def csv_rows(text: str, *, required: set[str]) -> tuple[set[str], Iterator[tuple[int, dict[str, str]]]]:
    """The file's columns and its rows as (line number, {column: stripped value}); the delimiter
    (comma, semicolon or tab) guessed. A file missing a ``required`` column is refused whole."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
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
