from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from catalog.references import ReferenceChoiceFilter
from mybusiness.browse.filters import ListFilterSet
from sites.models import Hosting, Site, SiteStatus


class SiteFilterSet(ListFilterSet):
    """The site list's header filters: each name is the column it filters."""
    # Every field is the same whoever asks (a reference filter lists the catalog as it is when shown).
    fields_depend_on_request = False


    number = django_filters.CharFilter(lookup_expr="icontains", label=_("numéro de site"))
    company_name = django_filters.CharFilter(lookup_expr="icontains", label=_("raison sociale"))
    siret = django_filters.CharFilter(lookup_expr="icontains", label=_("SIRET"))
    postal_code = django_filters.CharFilter(lookup_expr="istartswith", label=_("code postal"))
    city = django_filters.CharFilter(lookup_expr="icontains", label=_("ville"))
    hosting = django_filters.ChoiceFilter(choices=Hosting.choices, label=_("hébergement"), empty_label=_("Tous"))
    generation = ReferenceChoiceFilter(active_only=True, label=_("génération"), empty_label=_("Toutes"))
    solution = ReferenceChoiceFilter(active_only=True, label=_("solution"), empty_label=_("Toutes"))
    status = django_filters.ChoiceFilter(choices=SiteStatus.choices, label=_("statut"), empty_label=_("Tous"))

    class Meta:
        model = Site
        fields: list[str] = []


class StaffSiteFilterSet(SiteFilterSet):
    """A sales admin's header filters: the partner's code as well."""

    partner = django_filters.CharFilter(field_name="partner__code", lookup_expr="iexact", label=_("code partenaire"))
