"""An opportunity's generation and solution now point to the catalog app's models: the same tables, so
Django's state changes and the database does not."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("opportunities", "0004_db_defaults"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="opportunity",
                    name="generation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="catalog.generation",
                        verbose_name="génération",
                    ),
                ),
                migrations.AlterField(
                    model_name="opportunity",
                    name="solution",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="catalog.solution",
                        verbose_name="solution",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
