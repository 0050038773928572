"""The catalog's models move from the orders app to this one: in Django's state only, their tables
(``orders_*``) and rows stay where they are. Their content types follow them, so the permissions
granted on them (the staff groups') are kept."""

import django.db.models.deletion
from django.db import migrations, models

CATALOG_MODELS = ["ordertype", "origin", "generation", "solution", "productreference"]


def move_content_types(apps, schema_editor, *, source="orders", target="catalog"):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    for model in CATALOG_MODELS:
        moved = content_type_model.objects.filter(app_label=source, model=model).first()
        if moved is None:
            continue
        # A content type created for the target before (an earlier run of post_migrate) has no
        # grants worth keeping: the source's permissions are the ones the groups hold.
        content_type_model.objects.filter(app_label=target, model=model).delete()
        moved.app_label = target
        moved.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="catalog", target="orders")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orders", "0005_merge_20261129_1716"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OrderType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                        ('label', models.CharField(max_length=200, verbose_name='libellé')),
                        ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name="ordre d'affichage")),
                        ('is_odata_eligible', models.BooleanField(default=False, help_text='Commande additionnelle sur un site existant : les références OData y sont permises.', verbose_name='peut porter une activation OData')),
                    ],
                    options={
                        'verbose_name': 'type de commande',
                        'verbose_name_plural': 'types de commande',
                        'ordering': ['position', 'label'],
                        'abstract': False,
                        'db_table': 'orders_ordertype',
                    },
                ),
                migrations.CreateModel(
                    name='Origin',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                        ('label', models.CharField(max_length=200, verbose_name='libellé')),
                        ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name="ordre d'affichage")),
                        ('site_mode', models.CharField(choices=[('new', 'Nouveau site'), ('existing', 'Site existant')], max_length=10, verbose_name='mode de site')),
                        ('opportunity_rule', models.CharField(choices=[('none', 'Sans opportunité'), ('optional', 'Opportunité facultative'), ('required', 'Opportunité obligatoire')], default='optional', max_length=10, verbose_name='opportunité')),
                    ],
                    options={
                        'verbose_name': 'origine',
                        'verbose_name_plural': 'origines',
                        'ordering': ['position', 'label'],
                        'abstract': False,
                        'db_table': 'orders_origin',
                    },
                ),
                migrations.CreateModel(
                    name='Generation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                        ('label', models.CharField(max_length=200, verbose_name='libellé')),
                        ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name="ordre d'affichage")),
                        ('site_modes', models.JSONField(default=list, help_text='Liste parmi « new » et « existing ».', verbose_name='modes de site permis')),
                        ('order_types', models.ManyToManyField(related_name='generations', to='catalog.ordertype', verbose_name='types de commande permis')),
                    ],
                    options={
                        'verbose_name': 'génération',
                        'verbose_name_plural': 'générations',
                        'ordering': ['position', 'label'],
                        'abstract': False,
                        'db_table': 'orders_generation',
                    },
                ),
                migrations.AddField(
                    model_name='ordertype',
                    name='origins',
                    field=models.ManyToManyField(related_name='order_types', to='catalog.origin', verbose_name='origines permises'),
                ),
                migrations.CreateModel(
                    name='Solution',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                        ('label', models.CharField(max_length=200, verbose_name='libellé')),
                        ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name="ordre d'affichage")),
                        ('odata_targets', models.JSONField(blank=True, default=list, help_text='Liste parmi « erp » et « crm ».', verbose_name='cibles OData')),
                        ('generation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='solutions', to='catalog.generation', verbose_name='génération')),
                    ],
                    options={
                        'verbose_name': 'solution',
                        'verbose_name_plural': 'solutions',
                        'ordering': ['position', 'label'],
                        'abstract': False,
                        'db_table': 'orders_solution',
                    },
                ),
                migrations.CreateModel(
                    name='ProductReference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                        ('label', models.CharField(max_length=200, verbose_name='libellé')),
                        ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name="ordre d'affichage")),
                        ('kind', models.CharField(choices=[('licence', 'Licence'), ('module', 'Module'), ('service', 'Service'), ('odata', 'Connecteur OData')], default='licence', max_length=10, verbose_name='nature')),
                        ('odata_target', models.CharField(blank=True, choices=[('erp', 'ERP'), ('crm', 'CRM')], max_length=3, verbose_name='cible OData')),
                        ('odata_quota', models.CharField(blank=True, choices=[('standard', 'Quota standard'), ('extended', 'Quota étendu')], max_length=10, verbose_name='quota OData')),
                        ('needs_cloud_activation', models.BooleanField(default=False, verbose_name='activation cloud nécessaire')),
                        ('solutions', models.ManyToManyField(related_name='references', to='catalog.solution', verbose_name='solutions')),
                    ],
                    options={
                        'verbose_name': 'référence article',
                        'verbose_name_plural': 'références article',
                        'ordering': ['position', 'label'],
                        'abstract': False,
                        'db_table': 'orders_productreference',
                    },
                ),
                migrations.AddConstraint(
                    model_name='productreference',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'odata'), models.Q(('odata_target', ''), _negated=True), models.Q(('odata_quota', ''), _negated=True)), models.Q(models.Q(('kind', 'odata'), _negated=True), ('odata_target', ''), ('odata_quota', '')), _connector='OR'), name='reference_odata_fields_match_kind'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
