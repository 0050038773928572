"""The catalog read from the cache (catalog.references): fresh after a change, no query once read,
its texts in the active language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from catalog import references
from catalog.models import Generation, OrderType, ProductReference
from orders.models import Order
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


def test_a_row_shows_its_label_in_the_active_language_french_when_it_has_no_english_one():
    order_type = OrderType.objects.get(code="NEW_CUSTOMER")
    reference = ProductReference.objects.get(code="SETUP-DAY")
    untranslated = Generation.objects.create(code="FR_ONLY", label="Génération sans traduction", position=97)
    with translation.override("en"):
        assert str(order_type) == order_type.display_label == "New customer"
        assert str(reference) == "SETUP-DAY — Set-up day"
        assert untranslated.display_label == "Génération sans traduction"
    with translation.override("fr"):
        assert str(order_type) == "Nouveau client"
        assert str(reference) == "SETUP-DAY — Journée de mise en place"


def test_the_cache_holds_the_texts_of_each_language_and_a_change_drops_both(django_assert_num_queries):
    generation = Generation.objects.get(code="INFINITY_V7")
    generation.label_en = "Infinity V7 (English)"
    generation.save()
    with translation.override("fr"):
        assert references.labels(Generation)[generation.pk] == "Infinity V7"
    with translation.override("en"):
        assert references.labels(Generation)[generation.pk] == "Infinity V7 (English)"
        assert references.texts(Generation)[generation.pk] == "Infinity V7 (English)"
        with django_assert_num_queries(0):
            references.labels(Generation)
    generation.label_en = "Infinity V7 (renamed)"
    generation.save()
    with translation.override("en"):
        assert references.labels(Generation)[generation.pk] == "Infinity V7 (renamed)"
    with translation.override("fr"):
        assert references.labels(Generation)[generation.pk] == "Infinity V7"


def test_a_list_filter_offers_the_english_labels_to_an_english_reader():
    from django.http import QueryDict

    from orders.filters import OrderListFilter

    with translation.override("en"):
        options = dict(OrderListFilter(QueryDict(), queryset=Order.objects.all()).form["order_type"].field.choices)
    assert options[OrderType.objects.get(code="ADDITIONAL").pk] == "Additional order"


def test_a_filter_filters_on_the_chosen_entry(partner, partner_user):
    from django.http import QueryDict

    from orders.filters import OrderListFilter

    order = draft_with_product(partner=partner, user=partner_user)
    other = Generation.objects.exclude(pk=order.generation_id).first()
    chosen = OrderListFilter(QueryDict(f"generation={order.generation_id}"), queryset=Order.objects.all())
    assert list(chosen.qs) == [order]
    assert list(OrderListFilter(QueryDict(f"generation={other.pk}"), queryset=Order.objects.all()).qs) == []


def test_a_row_inserted_by_raw_sql_gets_the_model_defaults_from_the_database():
    """The benchmark seeds with raw SQL naming only the columns it fills."""
    from django.db import connection

    from catalog.models import Solution

    generation = Generation.objects.get(code="ONE")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {Generation._meta.db_table} (code, label) VALUES ('RAW', 'Brute')")
        cursor.execute(
            f"INSERT INTO {Solution._meta.db_table} (code, label, generation_id) VALUES ('RAW_SOL', 'Brute', %s)",
            [generation.pk],
        )
        cursor.execute(
            f"INSERT INTO {ProductReference._meta.db_table} (code, label, odata_target, odata_quota) "
            "VALUES ('RAW-REF', 'Brute', '', '')"
        )
    raw = Generation.objects.get(code="RAW")
    assert (raw.is_active, raw.position, raw.site_modes, raw.label_en) == (True, 0, [], "")
    assert Solution.objects.get(code="RAW_SOL").odata_targets == []
    reference = ProductReference.objects.get(code="RAW-REF")
    assert (reference.kind, reference.needs_cloud_activation) == ("licence", False)
