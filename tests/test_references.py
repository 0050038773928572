"""The catalog read from the cache (mybusiness.references): fresh after a change, no query once read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mybusiness import references
from orders.models import Generation, Order
from tests.factories_orders import draft_with_product

pytestmark = pytest.mark.django_db


def test_rows_are_read_once_then_served_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(1):
        first = references.references(Generation)
    with django_assert_num_queries(0):
        assert references.references(Generation) == first
    assert [row.pk for row in first] == list(Generation.objects.values_list("pk", flat=True))


def test_a_saved_or_deleted_row_is_seen_at_once():
    generation = Generation.objects.get(code="ONE")
    assert references.labels(Generation)[generation.pk] == generation.label
    generation.label = "Divalto one (renommée)"
    generation.save()
    assert references.labels(Generation)[generation.pk] == "Divalto one (renommée)"
    extra = Generation.objects.create(code="OLD", label="Ancienne", is_active=False, position=99)
    assert references.labels(Generation)[extra.pk] == "Ancienne"
    extra.delete()
    assert extra.pk not in references.labels(Generation) and None not in references.labels(Generation)


def test_an_unregistered_model_is_refused():
    with pytest.raises(LookupError):
        references.references(Order)


def test_list_filters_offer_the_cached_rows_active_only_where_the_filter_says(client_for, partner_user):
    retired = Generation.objects.create(code="RETIRED", label="Génération retirée", is_active=False, position=99)
    client = client_for(partner_user)
    # The order list filters on every generation (old orders keep theirs); the site browse on active ones.
    assert f'<option value="{retired.pk}">Génération retirée</option>' in client.get(reverse("order_list")).text
    assert "Génération retirée" not in client.get(reverse("site_list")).text


def test_the_order_list_shows_catalog_labels_from_the_cache(client_for, partner, partner_user):
    order = draft_with_product(partner=partner, user=partner_user)
    order.generation.label = "Génération <renommée>"
    order.generation.save()
    text = client_for(partner_user).get(reverse("order_list")).text
    assert "<td>Génération &lt;renommée&gt;</td>" in text
    assert f"<td>{order.solution.label}</td>" in text


def test_attach_gives_an_order_its_catalog_without_a_query_and_a_change_is_seen(partner, partner_user,
                                                                                  django_assert_num_queries):
    order = draft_with_product(partner=partner, user=partner_user)
    fresh = Order.objects.get(pk=order.pk)
    references.attach(fresh, "order_type", "origin", "generation", "solution")  # reads the cache once
    again = Order.objects.get(pk=order.pk)
    with django_assert_num_queries(0):
        references.attach(again, "order_type", "origin", "generation", "solution")
        assert again.solution.generation == again.generation == order.generation
        assert again.origin == order.origin and again.order_type == order.order_type
    again.generation.label = "changed in this request only"
    assert references.instances(Generation)[order.generation_id].label != "changed in this request only"
    # A generation renamed: the cached solutions' copy of it is dropped too.
    order.generation.label = "Génération renommée"
    order.generation.save()
    latest = Order.objects.get(pk=order.pk)
    references.attach(latest, "solution")
    assert latest.solution.generation.label == "Génération renommée"


def test_a_filter_accepts_exactly_the_entries_it_offers(partner_user):
    from django.http import QueryDict

    from orders.filters import OrderListFilter
    from sites.filters import SiteFilterSet

    retired = Generation.objects.create(code="GONE", label="Retirée", is_active=False, position=98)
    active = Generation.objects.get(code="ONE")
    for generation, valid in ((active, True), (retired, False)):
        sites = SiteFilterSet(QueryDict(f"generation={generation.pk}"), queryset=None)
        assert sites.is_valid() is valid, generation
    # The order list filters on every generation: old orders keep theirs.
    assert OrderListFilter(QueryDict(f"generation={retired.pk}"), queryset=Order.objects.all()).is_valid()
