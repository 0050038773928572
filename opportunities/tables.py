"""The opportunity list's columns (the user picks which ones behind the gear icon)."""

from __future__ import annotations

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from catalog import references
from mybusiness.browse.columns import Column, choice_labels
from opportunities.models import Opportunity, OpportunityStage


def catalog_texts(field_name: str):
    """``labels`` of a column holding a catalog entry: its text from the catalog cache, so the
    list's query needs no join for it."""
    related = Opportunity._meta.get_field(field_name).related_model
    return lambda: references.texts(related)


def amount(value) -> str:
    return f"{number_format(value, decimal_pos=0, force_grouping=True)} €"


def short_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


OPPORTUNITY_COLUMNS = (
    Column("number", _("numéro"), link_url_name="opportunity_detail", link_lookup="number"),
    Column("name", _("intitulé"), order_by=("name", "number")),
    Column("company_name", _("prospect"), order_by=("company_name", "number")),
    Column("siret", _("SIRET"), orderable=False),
    Column("postal_code", _("code postal"), order_by=("postal_code", "number")),
    Column("city", _("ville"), order_by=("city", "number")),
    Column("contact_name", _("contact"), order_by=("contact_name", "number")),
    Column(
        "generation", _("génération"), order_by=("generation__label", "number"), attribute="generation_id",
        labels=catalog_texts("generation"),
    ),
    Column(
        "solution", _("solution"), order_by=("solution__label", "number"), attribute="solution_id",
        labels=catalog_texts("solution"),
    ),
    Column("stage", _("étape"), order_by=("stage", "number"), labels=choice_labels(OpportunityStage.choices)),
    Column(
        "estimated_amount", _("montant estimé"), order_by=("estimated_amount", "number"), format=amount,
        css_class="text-end",
    ),
    Column("expected_close_date", _("clôture prévue"), order_by=("expected_close_date", "number"), format=short_date),
    Column("owner", _("responsable"), orderable=False, attribute="owner__get_full_name"),
)
