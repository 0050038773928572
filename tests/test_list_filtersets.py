"""ListFilterSet: a list's filter form class built once, never shared where a field depends on the request."""

from __future__ import annotations

import django_filters
import pytest
from django.http import QueryDict

from catalog.models import Generation
from mybusiness.browse.filters import ListFilterSet, select_options
from opportunities.filters import LinkableOpportunityFilterSet, OpportunityFilterSet
from orders.filters import OrderListFilter
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
    # The forms share their fields: a change to one would be seen by every later request, so a
    # widget's attributes cannot be changed at all.
    name = next(iter(first.fields))
    assert first.fields[name] is second.fields[name]
    with pytest.raises(TypeError):
        first.fields[name].widget.attrs["data-probe"] = "1"
    assert "data-probe" not in second.fields[name].widget.attrs


@pytest.mark.parametrize("filterset_class", [SiteFilterSet, OrderListFilter])
def test_a_kept_filter_sets_filters_are_its_own(filterset_class):
    """The filters are copied, not deep-copied: each copy still knows its own filter set."""
    first = filterset_class(QueryDict(""), queryset=filterset_class._meta.model.objects.all())
    second = filterset_class(QueryDict(""), queryset=filterset_class._meta.model.objects.all())
    for name, filter_ in first.filters.items():
        assert filter_ is not second.filters[name] and filter_ is not filterset_class.base_filters[name]
        assert filter_.parent is first and second.filters[name].parent is second
        assert filter_.extra is not filterset_class.base_filters[name].extra
    assert not hasattr(filterset_class.base_filters[name], "parent")


def test_a_method_filter_calls_its_own_filter_sets_method():
    class Probe(OrderListFilter):
        def search(self, queryset, name, value):
            self.searched = value
            return queryset

    first, second = Probe(QueryDict("q=alpha")), Probe(QueryDict("q=beta"))
    first.qs, second.qs  # noqa: B018 (filtering is what is tested)
    assert (first.searched, second.searched) == ("alpha", "beta")


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
    # The filter checks the primary key against the cached rows and filters on the column: no instance read.
    assert form.is_valid() and form.cleaned_data["generation"] == str(added.pk)
    added.is_active = False
    added.save()
    form = SiteFilterSet(QueryDict(f"generation={added.pk}")).form
    assert "Génération suivante" not in [label for _v, label, _s in select_options(form["generation"])]
    assert not form.is_valid() and "generation" in form.errors
