"""Writes of opportunities: the CSV import (opportunities come from the vendor's CRM)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from mybusiness.models import Partner
from opportunities.forms import COMPANY_FIELDS, CONTACT_FIELDS, OpportunityImportForm
from opportunities.models import Opportunity, normalize_opportunity_number
from sites.imports import ImportReport, csv_rows, error_text

IMPORT_COLUMNS = [
    "number", "partner", "name", *COMPANY_FIELDS, *CONTACT_FIELDS,
    "generation", "solution", "stage", "estimated_amount", "expected_close_date", "owner",
]
REQUIRED_COLUMNS = {"number", "partner", "name", "company_name"}
_IMPORTED_FIELDS = [name for name in IMPORT_COLUMNS if name != "number"]

__all__ = ["IMPORT_COLUMNS", "ImportReport", "opportunity_import_csv"]


def _owner_lookup():
    users = get_user_model().objects
    cache: dict[str, Any] = {}

    def find(email: str):
        if email not in cache:
            cache[email] = users.filter(email__iexact=email, is_active=True).first()
        return cache[email]

    return find


def opportunity_import_csv(*, text: str) -> ImportReport:
    """Create or update opportunities from CSV ``text`` (upsert by number), each valid row on its own.

    A column absent from the file leaves that field as it is on existing opportunities. Running
    the same file twice changes nothing the second time. A row that fails a check is refused with
    the reason and leaves the database untouched; so is moving an opportunity already linked to
    orders to another partner (it would hand those orders' prospect to another company).
    """
    report = ImportReport()
    columns, rows = csv_rows(text, required=REQUIRED_COLUMNS)
    present = [name for name in _IMPORTED_FIELDS if name in columns]
    generation_model = Opportunity._meta.get_field("generation").related_model
    solution_model = Opportunity._meta.get_field("solution").related_model
    lookups = {
        "partners": {p.code: p for p in Partner.objects.all()},
        "generations": {g.code: g for g in generation_model.objects.all()},
        "solutions": {s.code: s for s in solution_model.objects.select_related("generation")},
        "owners": _owner_lookup(),
    }
    seen: set[str] = set()
    for line, row in rows:
        number = normalize_opportunity_number(row.get("number", ""))
        if number and number in seen:
            report.refused.append((line, number, _("Numéro d'opportunité en double dans le fichier.")))
            continue
        seen.add(number)
        stored = Opportunity.objects.filter(number=number).select_related("owner").first() if number else None
        data = {name: (row[name] if name in row else _stored_text(stored, name)) for name in IMPORT_COLUMNS}
        form = OpportunityImportForm(data=data, instance=None, **lookups)
        if not form.is_valid():
            report.refused.append((line, number, error_text(form)))
            continue
        cleaned = form.cleaned_data
        if stored is None:
            opportunity = Opportunity(number=cleaned["number"])
            for name in _IMPORTED_FIELDS:
                setattr(opportunity, name, cleaned[name])
            opportunity.save()
            report.created.append((line, number))
            continue
        changed = [name for name in present if getattr(stored, name) != cleaned[name]]
        if not changed:
            report.unchanged.append((line, number))
            continue
        if "partner" in changed and stored.orders.exists():
            report.refused.append(
                (line, number, _("L'opportunité est liée à des commandes : son partenaire ne peut pas changer."))
            )
            continue
        with transaction.atomic():
            for name in changed:
                setattr(stored, name, cleaned[name])
            stored.save(update_fields=changed)
        report.updated.append((line, number))
    return report


def _stored_text(stored: Opportunity | None, name: str) -> str:
    """The stored value of a column absent from the file, as the CSV would spell it."""
    if stored is None:
        return ""
    value = getattr(stored, name)
    if value is None:
        return ""
    if name in ("partner", "generation", "solution"):
        return value.code
    if name == "owner":
        return value.email
    if name == "expected_close_date":
        return value.isoformat()
    return str(value)
