"""The catalog's models leave the orders app for the catalog app (``catalog/0001``): an order's and
an order line's foreign keys point there, and the orders app's copies leave Django's state. The
tables and rows are untouched. The staff groups get the catalog's permissions under the catalog
app's name (on a fresh database, the seed of ``orders/0002`` ran before that app existed)."""

import django.db.models.deletion
from django.db import migrations, models

from mybusiness.roles import sync_staff_groups

CATALOG_MODELS = ["ordertype", "origin", "generation", "solution", "productreference"]


def forget_stale_content_types(apps, schema_editor):
    """Content types of the orders app's catalog models, created again by a migration that ran
    between ``catalog/0001`` (which moved the real ones) and this one: no grant names them."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    content_type_model.objects.filter(app_label="orders", model__in=CATALOG_MODELS).delete()


def _catalog_key(to: str, verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=to, verbose_name=verbose_name
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("customer_sites", "0007_catalog_foreign_keys"),
        ("opportunities", "0005_catalog_foreign_keys"),
        ("orders", "0006_db_defaults"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="order", name="order_type", field=_catalog_key("catalog.ordertype", "type de commande")
                ),
                migrations.AlterField(model_name="order", name="origin", field=_catalog_key("catalog.origin", "origine")),
                migrations.AlterField(
                    model_name="order", name="generation", field=_catalog_key("catalog.generation", "génération")
                ),
                migrations.AlterField(
                    model_name="order", name="solution", field=_catalog_key("catalog.solution", "solution")
                ),
                migrations.AlterField(
                    model_name="orderline",
                    name="reference",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.productreference",
                        verbose_name="référence",
                    ),
                ),
                migrations.DeleteModel(name="ProductReference"),
                migrations.DeleteModel(name="Solution"),
                migrations.DeleteModel(name="Generation"),
                migrations.DeleteModel(name="OrderType"),
                migrations.DeleteModel(name="Origin"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forget_stale_content_types, migrations.RunPython.noop),
        migrations.RunPython(sync_staff_groups, migrations.RunPython.noop),
    ]
