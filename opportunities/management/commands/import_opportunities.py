"""``manage.py import_opportunities FILE.csv``: create or update opportunities by number, with a report per row."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opportunities.services import IMPORT_COLUMNS, opportunity_import_csv


class Command(BaseCommand):
    help = (
        "Import opportunities from a CSV file (UTF-8, comma or semicolon separated) with the columns "
        + ", ".join(IMPORT_COLUMNS)
        + " (number, partner, name and company_name required; partner, generation and solution by code, "
        "owner by email, stage open/won/lost, dates YYYY-MM-DD or DD/MM/YYYY). "
        "Upsert by number: running the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = opportunity_import_csv(text=text)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        report.write_to(self)
