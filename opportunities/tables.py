from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from mybusiness.browse.tables import DetailLinkColumn
from opportunities.models import Opportunity


class AmountColumn(tables.Column):
    def render(self, value):
        return f"{number_format(value, decimal_pos=0, force_grouping=True)} €"


class OpportunityTable(tables.Table):
    """The opportunity list's columns (the user picks which ones behind the gear icon)."""

    number = DetailLinkColumn(url_name="opportunity_detail", lookup="number", verbose_name=_("numéro"))
    name = tables.Column(verbose_name=_("intitulé"), order_by=("name", "number"))
    company_name = tables.Column(verbose_name=_("prospect"), order_by=("company_name", "number"))
    siret = tables.Column(verbose_name=_("SIRET"), orderable=False)
    postal_code = tables.Column(verbose_name=_("code postal"), order_by=("postal_code", "number"))
    city = tables.Column(verbose_name=_("ville"), order_by=("city", "number"))
    contact_name = tables.Column(verbose_name=_("contact"), order_by=("contact_name", "number"))
    generation = tables.Column(verbose_name=_("génération"), order_by=("generation__label", "number"))
    solution = tables.Column(verbose_name=_("solution"), order_by=("solution__label", "number"))
    stage = tables.Column(verbose_name=_("étape"), order_by=("stage", "number"))
    estimated_amount = AmountColumn(
        verbose_name=_("montant estimé"), order_by=("estimated_amount", "number"), attrs={"td": {"class": "text-end"}}
    )
    expected_close_date = tables.DateColumn(
        verbose_name=_("clôture prévue"), short=True, order_by=("expected_close_date", "number")
    )
    owner = tables.Column(verbose_name=_("responsable"), orderable=False, accessor="owner__get_full_name")

    class Meta:
        model = Opportunity
        fields = ()
        sequence = (
            "number", "name", "company_name", "siret", "postal_code", "city", "contact_name", "generation",
            "solution", "stage", "estimated_amount", "expected_close_date", "owner",
        )
