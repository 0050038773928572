"""Trigram indexes for the browse's "contains" filters (PostgreSQL only) and the staff groups' new permissions.

Django's ``icontains`` on PostgreSQL compares ``UPPER(column) LIKE UPPER('%...%')``, so each
index is on ``UPPER(column)`` with ``gin_trgm_ops``. On SQLite nothing is created: the code runs
the same, only slower on large tables.
"""

from django.db import migrations

from mybusiness.roles import sync_staff_groups

TRIGRAM_COLUMNS = ["number", "company_name", "city", "postal_code", "siret"]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS site_{column}_trgm ON customer_sites_site '
            f'USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS site_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("customer_sites", "0003_change_requests_and_events"),
        ("mybusiness", "0002_browse_preference"),
        ("orders", "0002_seed_catalog_and_staff_groups"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(sync_staff_groups, migrations.RunPython.noop),
    ]
