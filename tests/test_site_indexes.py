"""The browse's "contains" filters are served by one multi-column trigram index on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from sites.models import Site
from tests.factories_sites import SiteFactory

pytestmark = pytest.mark.django_db


def test_one_trigram_index_covers_every_searched_column_on_postgresql(on_postgresql):
    if not on_postgresql:
        pytest.skip("trigram indexes are PostgreSQL only; SQLite runs the same queries without them")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customer_sites_site'")
        definitions = dict(cursor.fetchall())
    trigram = {name for name, definition in definitions.items() if "gin_trgm_ops" in definition}
    assert trigram == {"site_search_trgm"}
    for column in ("number", "company_name", "city", "postal_code", "siret"):
        assert f"upper(({column})::text) gin_trgm_ops" in definitions["site_search_trgm"]


def test_a_contains_filter_can_use_its_trigram_index(on_postgresql, partner):
    if not on_postgresql:
        pytest.skip("trigram indexes are PostgreSQL only")
    SiteFactory.create_batch(5, partner=partner)
    queryset = Site.objects.filter(company_name__icontains="boulang")
    with connection.cursor() as cursor:
        # Few rows here: forbid sequential and plain index scans; only an index that can answer
        # UPPER(company_name) LIKE '%...%' (the trigram one) then gives a bitmap scan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "Bitmap Index Scan on site_search_trgm" in plan


def test_two_contains_filters_are_intersected_in_one_index_scan(on_postgresql, partner):
    if not on_postgresql:
        pytest.skip("trigram indexes are PostgreSQL only")
    SiteFactory.create_batch(5, partner=partner)
    queryset = Site.objects.filter(company_name__icontains="boulang", city__icontains="bres")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    # One scan answers both conditions: no BitmapAnd of two trigram scans.
    assert plan.count("Bitmap Index Scan on site_search_trgm") == 1
    assert "BitmapAnd" not in plan
