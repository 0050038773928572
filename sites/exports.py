"""The sites list as a spreadsheet (the sales administration's filtered changelist)."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from catalog import references
from catalog.models import Generation, Solution
from mybusiness.exports import Column, field
from sites.models import Hosting, SiteStatus
from sites.validators import format_phone


def site_columns() -> list[Column]:
    hostings, statuses = dict(Hosting.choices), dict(SiteStatus.choices)
    generations, solutions = references.labels(Generation), references.labels(Solution)
    return [
        Column(_("N° de site"), field("number")),
        Column(_("Code partenaire"), field("partner_code")),
        Column(_("Partenaire"), field("partner_name")),
        Column(_("Raison sociale"), field("company_name")),
        Column(_("SIRET"), field("siret")),
        Column(_("N° de TVA"), field("vat_number")),
        Column(_("Code NAF"), field("naf_code")),
        Column(_("Adresse"), field("address")),
        Column(_("Code postal"), field("postal_code")),
        Column(_("Ville"), field("city")),
        Column(_("Pays"), field("country")),
        Column(_("Téléphone"), lambda row: format_phone(row["phone"]) if row["phone"] else ""),
        Column(_("E-mail"), field("email")),
        Column(_("Hébergement"), lambda row: str(hostings.get(row["hosting"], row["hosting"]))),
        Column(_("Génération"), lambda row: generations.get(row["generation_id"], "")),
        Column(_("Solution"), lambda row: solutions.get(row["solution_id"], "")),
        Column(_("Statut"), lambda row: str(statuses.get(row["status"], row["status"]))),
        Column(_("Créé le"), field("created_at")),
    ]


def site_rows(queryset):
    return queryset.values(
        "number", "company_name", "siret", "vat_number", "naf_code", "address", "postal_code", "city", "country",
        "phone", "email", "hosting", "generation_id", "solution_id", "status", "created_at",
        partner_code=F("partner__code"), partner_name=F("partner__name"),
    )
