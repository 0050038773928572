"""The catalog's move from the orders app to its own: a database at the last heads before the move,
holding a partner, sites, opportunities, catalog rows and orders with lines, migrates to the new
heads with every row, link and permission kept (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# The heads of main before this move and the db_default migrations that came with it (issue 17).
OLD_HEADS = [
    ("orders", "0005_merge_20261129_1716"),
    ("customer_sites", "0005_one_search_index"),
    ("opportunities", "0003_opportunity_browse_indexes"),
]
CATALOG_MODELS = ["OrderType", "Origin", "Generation", "Solution", "ProductReference"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state([t for t in targets if t[1] is not None]).apps


def _new_heads():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _catalog_snapshot(apps, app_label):
    """Every catalog row as (code, label, pk and links), and the three link tables' pairs."""
    model = {name: apps.get_model(app_label, name) for name in CATALOG_MODELS}
    rows = {
        name: sorted(model[name].objects.values_list("pk", "code", "label", "is_active", "position"))
        for name in CATALOG_MODELS
    }
    links = {
        "ordertype_origins": sorted(
            model["OrderType"].origins.through.objects.values_list("ordertype_id", "origin_id")
        ),
        "generation_order_types": sorted(
            model["Generation"].order_types.through.objects.values_list("generation_id", "ordertype_id")
        ),
        "reference_solutions": sorted(
            model["ProductReference"].solutions.through.objects.values_list("productreference_id", "solution_id")
        ),
        "solution_generation": sorted(model["Solution"].objects.values_list("pk", "generation_id")),
    }
    return rows, links


def _seed_old_database(apps):
    """What a database of the old layout holds: the seeded catalog plus rows of every kind pointing to it."""
    Partner = apps.get_model("mybusiness", "Partner")
    User = apps.get_model("mybusiness", "User")
    Site = apps.get_model("customer_sites", "Site")
    Opportunity = apps.get_model("opportunities", "Opportunity")
    Order = apps.get_model("orders", "Order")
    OrderLine = apps.get_model("orders", "OrderLine")
    OrderType = apps.get_model("orders", "OrderType")
    Origin = apps.get_model("orders", "Origin")
    Generation = apps.get_model("orders", "Generation")
    Solution = apps.get_model("orders", "Solution")
    ProductReference = apps.get_model("orders", "ProductReference")

    partner = Partner.objects.create(code="MIGR", name="Partenaire migré")
    user = User.objects.create(email="migr@example.com", partner=partner)
    # A catalog row a sales admin added, with its links, beside the seeded ones.
    generation = Generation.objects.create(code="OLD_GEN", label="Ancienne génération", site_modes=["existing"])
    generation.order_types.set(OrderType.objects.filter(code__in=["ADDITIONAL", "MIGRATION"]))
    solution = Solution.objects.create(code="OLD_SOL", label="Ancienne solution", generation=generation)
    reference = ProductReference.objects.create(code="OLD-REF", label="Ancienne référence", kind="licence")
    reference.solutions.set([solution, Solution.objects.get(code="ONE_ERP")])

    one_erp = Solution.objects.get(code="ONE_ERP")
    sites = [
        Site.objects.create(number="0000001", partner=partner, company_name="Site A", generation=generation,
                            solution=solution),
        Site.objects.create(number="0000002", partner=partner, company_name="Site B",
                            generation=one_erp.generation, solution=one_erp),
    ]
    opportunity = Opportunity.objects.create(
        number="OPP-0000001", name="Projet", partner=partner, generation=one_erp.generation, solution=one_erp
    )
    orders = [
        Order.objects.create(
            partner=partner, created_by=user, order_type=OrderType.objects.get(code="ADDITIONAL"),
            origin=Origin.objects.get(code="EXISTING_SITE"), generation=generation, solution=solution, site=sites[0],
        ),
        Order.objects.create(
            partner=partner, created_by=user, order_type=OrderType.objects.get(code="NEW_CUSTOMER"),
            origin=Origin.objects.get(code="OPPORTUNITY"), generation=one_erp.generation, solution=one_erp,
            opportunity=opportunity,
        ),
    ]
    OrderLine.objects.create(order=orders[0], reference=reference, quantity=3)
    OrderLine.objects.create(order=orders[1], reference=reference, quantity=1)
    OrderLine.objects.create(order=orders[1], reference=ProductReference.objects.get(code="ONE-ERP-USER"), quantity=5)


def _links_to_catalog(apps):
    Site = apps.get_model("customer_sites", "Site")
    Opportunity = apps.get_model("opportunities", "Opportunity")
    Order = apps.get_model("orders", "Order")
    OrderLine = apps.get_model("orders", "OrderLine")
    return {
        "sites": sorted(Site.objects.values_list("pk", "number", "generation_id", "solution_id")),
        "opportunities": sorted(Opportunity.objects.values_list("pk", "number", "generation_id", "solution_id")),
        "orders": sorted(
            Order.objects.values_list("pk", "order_type_id", "origin_id", "generation_id", "solution_id", "site_id",
                                      "opportunity_id")
        ),
        "lines": sorted(OrderLine.objects.values_list("pk", "order_id", "reference_id", "quantity")),
    }


def _catalog_permissions(apps, app_label):
    Group = apps.get_model("auth", "Group")
    return sorted(
        Group.objects.filter(permissions__content_type__app_label=app_label).values_list(
            "name", "permissions__codename"
        )
    )


def test_a_database_of_the_old_layout_keeps_every_row_and_link_through_the_move():
    new_heads = _new_heads()
    old_apps = _migrate([*OLD_HEADS, ("catalog", None)])
    _seed_old_database(old_apps)
    rows_before, links_before = _catalog_snapshot(old_apps, "orders")
    references_before = _links_to_catalog(old_apps)
    grants_before = [
        (group, codename)
        for group, codename in _catalog_permissions(old_apps, "orders")
        if codename.split("_", 1)[1] in {name.lower() for name in CATALOG_MODELS}
    ]
    assert grants_before, "the staff groups hold the catalog's permissions before the move"
    assert any(code == "OLD_GEN" for _pk, code, *_rest in rows_before["Generation"])

    new_apps = _migrate(new_heads)

    rows_after, links_after = _catalog_snapshot(new_apps, "catalog")
    assert rows_after == rows_before
    assert links_after == links_before
    assert _links_to_catalog(new_apps) == references_before
    # The foreign keys now lead to the catalog app's models, and through them to the same rows.
    Order = new_apps.get_model("orders", "Order")
    Site = new_apps.get_model("customer_sites", "Site")
    assert Order._meta.get_field("generation").related_model is new_apps.get_model("catalog", "Generation")
    assert Site._meta.get_field("solution").related_model is new_apps.get_model("catalog", "Solution")
    assert Site.objects.get(number="0000001").solution.code == "OLD_SOL"
    assert sorted(
        new_apps.get_model("orders", "OrderLine").objects.values_list("reference__code", flat=True)
    ) == ["OLD-REF", "OLD-REF", "ONE-ERP-USER"]
    # The groups keep their grants, now on the catalog app's content types; none is left on the orders app.
    assert set(grants_before) <= set(_catalog_permissions(new_apps, "catalog"))
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    assert not ContentType.objects.filter(app_label="orders", model__in=[m.lower() for m in CATALOG_MODELS]).exists()
    # The seeded rows got their English labels; the row added by hand has none (its French label shows).
    Origin = new_apps.get_model("catalog", "Origin")
    Generation = new_apps.get_model("catalog", "Generation")
    assert Origin.objects.get(code="NEW_SITE").label_en == "New site"
    assert Generation.objects.get(code="OLD_GEN").label_en == ""


def test_the_move_can_be_reversed_without_losing_a_row():
    new_heads = _new_heads()
    new_apps = _migrate(new_heads)
    rows_new, links_new = _catalog_snapshot(new_apps, "catalog")
    old_apps = _migrate([*OLD_HEADS, ("catalog", None)])
    assert _catalog_snapshot(old_apps, "orders") == (rows_new, links_new)
    _migrate(new_heads)


def test_sites_and_opportunities_need_no_new_migration_of_the_orders_app():
    """No migration of sites or opportunities needs an orders migration written after the catalog
    left orders: they depend on the catalog. (The old history keeps its loop, sites/0002 needing
    orders/0001 needing sites/0001: databases have applied it as it is.)"""
    graph = MigrationExecutor(connection).loader.graph
    orders_head = dict(OLD_HEADS)["orders"]
    old_orders = {name for app, name in graph.forwards_plan(("orders", orders_head)) if app == "orders"}
    for node in graph.nodes:
        if node[0] not in ("customer_sites", "opportunities"):
            continue
        orders_needed = {name for app, name in graph.forwards_plan(node) if app == "orders"}
        assert orders_needed <= old_orders, (node, orders_needed - old_orders)
    # The move's own migrations of sites and opportunities are among those checked.
    assert ("customer_sites", "0007_catalog_foreign_keys") in graph.nodes
    assert ("opportunities", "0005_catalog_foreign_keys") in graph.nodes
