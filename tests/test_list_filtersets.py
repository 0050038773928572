"""ListFilterSet: a list's filter form class built once, never shared where a field depends on the request."""

from __future__ import annotations

import django_filters
import pytest
from django.http import QueryDict

from mybusiness.browse.filters import ListFilterSet, select_options
from opportunities.filters import LinkableOpportunityFilterSet, OpportunityFilterSet
from orders.filters import OrderListFilter
from orders.models import Generation
from sites.filters import SiteFilterSet, StaffSiteFilterSet
from sites.models import Site

pytestmark = pytest.mark.django_db


class PartnerScopedFilterSet(ListFilterSet):
    """A filter whose options depend on who asks: its form must be built per request."""

    number = django_filters.CharFilter(lookup_expr="icontains")
    same_partner = django_filters.ModelChoiceFilter(
        field_name="id", queryset=lambda request: Site.objects.filter(partner_id=request.partner_id)
    )

    class Meta:
        model = Site
        fields: list[str] = []


@pytest.mark.parametrize(
    "filterset_class", [SiteFilterSet, StaffSiteFilterSet, OpportunityFilterSet, LinkableOpportunityFilterSet,
                        OrderListFilter]
)
def test_the_portal_lists_build_their_form_class_once(filterset_class):
    assert filterset_class.shares_form_class()
    first = filterset_class(QueryDict("")).form
    second = filterset_class(QueryDict("")).form
    assert type(first) is type(second)
    # Each form still has fields of its own: a change to one is not seen by the next request.
    first.fields[next(iter(first.fields))].widget.attrs["data-probe"] = "1"
    assert "data-probe" not in second.fields[next(iter(second.fields))].widget.attrs


def test_a_subclass_never_takes_its_parents_form_class():
    assert "partner" not in SiteFilterSet(QueryDict("")).form.fields  # the parent's class, built first
    assert "partner" in StaffSiteFilterSet(QueryDict("")).form.fields
    assert "partner" not in SiteFilterSet(QueryDict("")).form.fields


def test_a_request_dependent_filter_gets_its_form_built_per_request(partner, other_partner):
    class Request:
        def __init__(self, partner_id):
            self.partner_id = partner_id

    assert not PartnerScopedFilterSet.shares_form_class()
    mine = PartnerScopedFilterSet(QueryDict(""), request=Request(partner.pk)).form
    theirs = PartnerScopedFilterSet(QueryDict(""), request=Request(other_partner.pk)).form
    assert type(mine) is not type(theirs)
    assert "partner_id" in str(mine.fields["same_partner"].queryset.query)
    assert mine.fields["same_partner"].queryset.query.where != theirs.fields["same_partner"].queryset.query.where


def test_a_kept_form_class_follows_the_catalog():
    # Built and kept with the catalog as it is...
    before = [label for _value, label, _selected in select_options(SiteFilterSet(QueryDict("")).form["generation"])]
    added = Generation.objects.create(code="NEXT", label="Génération suivante", is_active=True, position=50)
    # ...then a new generation is offered, and accepted, at once.
    form = SiteFilterSet(QueryDict(f"generation={added.pk}")).form
    after = [label for _value, label, _selected in select_options(form["generation"])]
    assert "Génération suivante" not in before and "Génération suivante" in after
    assert form.is_valid() and form.cleaned_data["generation"] == added
    added.is_active = False
    added.save()
    form = SiteFilterSet(QueryDict(f"generation={added.pk}")).form
    assert "Génération suivante" not in [label for _v, label, _s in select_options(form["generation"])]
    assert not form.is_valid() and "generation" in form.errors
