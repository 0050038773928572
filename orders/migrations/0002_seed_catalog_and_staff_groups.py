"""The default catalog of design.md §4 and the staff groups with their permissions."""

from django.db import migrations

from mybusiness.roles import sync_staff_groups

ORIGINS = [
    # code, label, site mode, opportunity rule
    ("NEW_SITE", "Nouveau site", "new", "optional"),
    ("EXISTING_SITE", "Site existant", "existing", "optional"),
    ("OPPORTUNITY", "Opportunité", "new", "required"),
]
ORDER_TYPES = [
    # code, label, origins, may carry OData references
    ("NEW_CUSTOMER", "Nouveau client", ["NEW_SITE", "OPPORTUNITY"], False),
    ("ADDITIONAL", "Commande additionnelle", ["EXISTING_SITE"], True),
    ("MIGRATION", "Migration", ["EXISTING_SITE"], False),
    ("INTERNAL", "Usage interne partenaire", ["NEW_SITE", "EXISTING_SITE"], False),
]
ALL_TYPES = [code for code, *_ in ORDER_TYPES]
GENERATIONS = [
    # code, label, order types, site modes, solutions (code, label, OData targets)
    (
        "INFINITY_V10",
        "Infinity V10 - Weavy V5",
        ALL_TYPES,
        ["new", "existing"],
        [
            ("INFINITY", "Divalto infinity", ["erp"]),
            ("WEAVY", "Divalto weavy", ["crm"]),
            ("INFINITY_WEAVY", "Divalto infinity + weavy", ["erp", "crm"]),
        ],
    ),
    (
        "ONE",
        "One",
        ALL_TYPES,
        ["new", "existing"],
        [
            ("ONE_ERP", "Divalto One ERP", ["erp"]),
            ("ONE_CRM", "Divalto One CRM", ["crm"]),
            ("ONE_ERP_CRM", "Divalto One ERP + CRM", ["erp", "crm"]),
        ],
    ),
    (
        "INFINITY_V7",
        "Infinity V7",
        ["ADDITIONAL"],
        ["existing"],
        [("INFINITY_V7_ADDITIONAL", "Divalto infinity 7.5 — licences complémentaires", [])],
    ),
]
ERP = ["INFINITY", "INFINITY_WEAVY", "ONE_ERP", "ONE_ERP_CRM"]
CRM = ["WEAVY", "INFINITY_WEAVY", "ONE_CRM", "ONE_ERP_CRM"]
REFERENCES = [
    # code, label, kind, solutions, OData target, OData quota, needs a cloud activation
    ("INF-USER", "Licence utilisateur Divalto infinity", "licence", ["INFINITY", "INFINITY_WEAVY"], "", "", False),
    ("INF-MOD-PROD", "Module Production", "module", ["INFINITY", "INFINITY_WEAVY"], "", "", False),
    ("INF-MOD-COMPTA", "Module Comptabilité avancée", "module", ["INFINITY", "INFINITY_WEAVY"], "", "", False),
    ("WEAVY-USER", "Licence utilisateur Divalto weavy", "licence", ["WEAVY", "INFINITY_WEAVY"], "", "", False),
    ("WEAVY-MOBILE", "Module weavy mobile", "module", ["WEAVY", "INFINITY_WEAVY"], "", "", False),
    ("ONE-ERP-USER", "Licence utilisateur Divalto One ERP", "licence", ["ONE_ERP", "ONE_ERP_CRM"], "", "", False),
    ("ONE-CRM-USER", "Licence utilisateur Divalto One CRM", "licence", ["ONE_CRM", "ONE_ERP_CRM"], "", "", False),
    ("SAAS-ENV", "Environnement SaaS (production + recette)", "service", ERP + CRM, "", "", True),
    ("SETUP-DAY", "Journée de mise en place", "service", ERP + CRM, "", "", False),
    ("V7-USER", "Licence complémentaire infinity 7.5", "licence", ["INFINITY_V7_ADDITIONAL"], "", "", False),
    ("SAAS IO ODATA", "Connecteur OData ERP — quota standard", "odata", ERP, "erp", "standard", True),
    ("SAAS IO ODATA EXT", "Connecteur OData ERP — quota étendu", "odata", ERP, "erp", "extended", True),
    ("SAAS WONE ODATA", "Connecteur OData CRM — quota standard", "odata", CRM, "crm", "standard", True),
    ("SAAS WONE ODATA EXT", "Connecteur OData CRM — quota étendu", "odata", CRM, "crm", "extended", True),
]


def seed_catalog(apps, schema_editor):
    Origin = apps.get_model("orders", "Origin")
    OrderType = apps.get_model("orders", "OrderType")
    Generation = apps.get_model("orders", "Generation")
    Solution = apps.get_model("orders", "Solution")
    ProductReference = apps.get_model("orders", "ProductReference")

    origins = {}
    for position, (code, label, site_mode, rule) in enumerate(ORIGINS):
        origins[code], _ = Origin.objects.update_or_create(
            code=code, defaults={"label": label, "site_mode": site_mode, "opportunity_rule": rule, "position": position}
        )
    types = {}
    for position, (code, label, origin_codes, odata) in enumerate(ORDER_TYPES):
        types[code], _ = OrderType.objects.update_or_create(
            code=code, defaults={"label": label, "position": position, "is_odata_eligible": odata}
        )
        types[code].origins.set([origins[c] for c in origin_codes])
    solutions = {}
    for position, (code, label, type_codes, modes, solution_rows) in enumerate(GENERATIONS):
        generation, _ = Generation.objects.update_or_create(
            code=code, defaults={"label": label, "position": position, "site_modes": modes}
        )
        generation.order_types.set([types[c] for c in type_codes])
        for sol_position, (sol_code, sol_label, targets) in enumerate(solution_rows):
            solutions[sol_code], _ = Solution.objects.update_or_create(
                code=sol_code,
                defaults={"label": sol_label, "generation": generation, "position": sol_position, "odata_targets": targets},
            )
    for position, (code, label, kind, sol_codes, target, quota, cloud) in enumerate(REFERENCES):
        reference, _ = ProductReference.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "kind": kind,
                "odata_target": target,
                "odata_quota": quota,
                "needs_cloud_activation": cloud,
                "position": position,
            },
        )
        reference.solutions.set([solutions[c] for c in sol_codes])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("customer_sites", "0002_initial"),
        ("opportunities", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed_catalog, migrations.RunPython.noop),
        migrations.RunPython(sync_staff_groups, migrations.RunPython.noop),
    ]
