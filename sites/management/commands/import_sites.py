"""``manage.py import_sites FILE.csv``: create or update sites by number, with a report per row."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sites.services import IMPORT_COLUMNS, get_import_actor, site_import_csv


class Command(BaseCommand):
    help = (
        "Import sites from a CSV file (UTF-8, comma or semicolon separated) with the columns "
        + ", ".join(IMPORT_COLUMNS)
        + ". Upsert by site number: running the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--actor", help="Email of the staff member recorded as author of the changes.")

    def handle(self, *args, file: Path, actor: str | None = None, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            report = site_import_csv(text=text, actor=get_import_actor(actor))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        report.write_to(self)
