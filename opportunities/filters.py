from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from catalog.references import ReferenceChoiceFilter
from mybusiness.browse.filters import ListFilterSet
from opportunities.models import Opportunity, OpportunityStage


class OpportunityFilterSet(ListFilterSet):
    """The opportunity list's header filters: each name is the column it filters."""
    # Every field is the same whoever asks (a reference filter lists the catalog as it is when shown).
    fields_depend_on_request = False


    number = django_filters.CharFilter(lookup_expr="icontains", label=_("numéro"))
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("intitulé"))
    company_name = django_filters.CharFilter(lookup_expr="icontains", label=_("prospect"))
    postal_code = django_filters.CharFilter(lookup_expr="istartswith", label=_("code postal"))
    city = django_filters.CharFilter(lookup_expr="icontains", label=_("ville"))
    contact_name = django_filters.CharFilter(lookup_expr="icontains", label=_("contact"))
    generation = ReferenceChoiceFilter(active_only=True, label=_("génération"), empty_label=_("Toutes"))
    solution = ReferenceChoiceFilter(active_only=True, label=_("solution"), empty_label=_("Toutes"))
    stage = django_filters.ChoiceFilter(choices=OpportunityStage.choices, label=_("étape"), empty_label=_("Toutes"))

    class Meta:
        model = Opportunity
        fields: list[str] = []

