"""The browse's "contains" filters are served by trigram indexes on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from sites.models import Site
from tests.factories_sites import SiteFactory

pytestmark = pytest.mark.django_db


def test_the_trigram_indexes_exist_on_postgresql(on_postgresql):
    if not on_postgresql:
        pytest.skip("trigram indexes are PostgreSQL only; SQLite runs the same queries without them")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'customer_sites_site'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"site_company_name_trgm", "site_city_trgm", "site_number_trgm", "site_siret_trgm"} <= names


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
    assert "Bitmap Index Scan on site_company_name_trgm" in plan
