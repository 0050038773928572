"""The lists' filter sets (ListFilterSet): a form class kept per class where no field depends on the
request, each form with its own fields, and the catalog's filters following the catalog."""

from __future__ import annotations

import django_filters
import pytest
from django.http import QueryDict

from catalog.models import Generation
from mybusiness.browse.filters import ListFilterSet
from opportunities.filters import OpportunityFilterSet
from orders.filters import OrderListFilter
from sites.filters import SiteFilterSet, StaffSiteFilterSet
from sites.models import Site

pytestmark = pytest.mark.django_db


class PartnerScopedFilterSet(ListFilterSet):
    """A filter whose options depend on who asks."""

    number = django_filters.CharFilter(lookup_expr="icontains")
    same_partner = django_filters.ModelChoiceFilter(
        field_name="id", queryset=lambda request: Site.objects.filter(partner_id=request.partner_id)
    )

    class Meta:
        model = Site
        fields: list[str] = []


def labels(bound_field) -> list[str]:
    return [str(label) for _value, label in bound_field.field.choices]


@pytest.mark.parametrize(
    "filterset_class", [SiteFilterSet, StaffSiteFilterSet, OpportunityFilterSet,
                        OrderListFilter]
)
def test_the_portal_lists_keep_their_form_class_and_each_form_has_its_own_fields(filterset_class):
    first = filterset_class(QueryDict("")).form
    second = filterset_class(QueryDict("")).form
    assert type(first) is type(second)
    name = next(iter(first.fields))
    assert first.fields[name] is not second.fields[name]
    first.fields[name].widget.attrs["data-probe"] = "1"
    assert "data-probe" not in second.fields[name].widget.attrs
    assert "data-probe" not in filterset_class(QueryDict("")).form.fields[name].widget.attrs


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


def test_a_request_dependent_filter_gets_its_field_built_per_request(partner, other_partner):
    class Request:
        def __init__(self, partner_id):
            self.partner_id = partner_id

    mine = PartnerScopedFilterSet(QueryDict(""), request=Request(partner.pk)).form
    theirs = PartnerScopedFilterSet(QueryDict(""), request=Request(other_partner.pk)).form
    assert type(mine) is not type(theirs)
    assert "partner_id" in str(mine.fields["same_partner"].queryset.query)
    assert mine.fields["same_partner"].queryset.query.where != theirs.fields["same_partner"].queryset.query.where


def test_a_reference_filter_follows_the_catalog():
    before = labels(SiteFilterSet(QueryDict("")).form["generation"])
    added = Generation.objects.create(code="NEXT", label="Génération suivante", is_active=True, position=50)
    # A new generation is offered, and accepted, at once.
    form = SiteFilterSet(QueryDict(f"generation={added.pk}")).form
    assert "Génération suivante" not in before and "Génération suivante" in labels(form["generation"])
    # The filter checks the primary key against the cached rows and filters on the column: no instance read.
    assert form.is_valid() and form.cleaned_data["generation"] == str(added.pk)
    added.is_active = False
    added.save()
    form = SiteFilterSet(QueryDict(f"generation={added.pk}")).form
    assert "Génération suivante" not in labels(form["generation"])
    assert not form.is_valid() and "generation" in form.errors
