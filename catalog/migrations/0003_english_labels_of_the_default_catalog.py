"""English labels for the default catalog of design.md §4 (seeded by ``orders/0002``). A row whose
English label a sales admin already wrote keeps it; product names stay as they are."""

from django.db import migrations

ENGLISH_LABELS = {
    "Origin": {
        "NEW_SITE": "New site",
        "EXISTING_SITE": "Existing site",
        "OPPORTUNITY": "Opportunity",
    },
    "OrderType": {
        "NEW_CUSTOMER": "New customer",
        "ADDITIONAL": "Additional order",
        "MIGRATION": "Migration",
        "INTERNAL": "Partner internal use",
    },
    "Generation": {
        "INFINITY_V10": "Infinity V10 - Weavy V5",
        "ONE": "One",
        "INFINITY_V7": "Infinity V7",
    },
    "Solution": {
        "INFINITY": "Divalto infinity",
        "WEAVY": "Divalto weavy",
        "INFINITY_WEAVY": "Divalto infinity + weavy",
        "ONE_ERP": "Divalto One ERP",
        "ONE_CRM": "Divalto One CRM",
        "ONE_ERP_CRM": "Divalto One ERP + CRM",
        "INFINITY_V7_ADDITIONAL": "Divalto infinity 7.5 — additional licences",
    },
    "ProductReference": {
        "INF-USER": "Divalto infinity user licence",
        "INF-MOD-PROD": "Production module",
        "INF-MOD-COMPTA": "Advanced accounting module",
        "WEAVY-USER": "Divalto weavy user licence",
        "WEAVY-MOBILE": "weavy mobile module",
        "ONE-ERP-USER": "Divalto One ERP user licence",
        "ONE-CRM-USER": "Divalto One CRM user licence",
        "SAAS-ENV": "SaaS environment (production + staging)",
        "SETUP-DAY": "Set-up day",
        "V7-USER": "Additional infinity 7.5 licence",
        "SAAS IO ODATA": "ERP OData connector — standard quota",
        "SAAS IO ODATA EXT": "ERP OData connector — extended quota",
        "SAAS WONE ODATA": "CRM OData connector — standard quota",
        "SAAS WONE ODATA EXT": "CRM OData connector — extended quota",
    },
}


def fill_english_labels(apps, schema_editor):
    for model_name, labels in ENGLISH_LABELS.items():
        model = apps.get_model("catalog", model_name)
        for code, label_en in labels.items():
            model.objects.filter(code=code, label_en="").update(label_en=label_en)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_english_labels_and_database_defaults")]

    operations = [migrations.RunPython(fill_english_labels, migrations.RunPython.noop)]
