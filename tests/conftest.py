"""Fixtures shared by the suite: the five roles of every permission test.

``partner_user`` and ``partner_admin`` belong to ``partner``; ``outsider`` to
another partner; ``sales_admin`` and ``cloud_member`` are vendor staff.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import (
    CloudTeamFactory,
    PartnerAdminFactory,
    PartnerFactory,
    SalesAdminFactory,
    UserFactory,
)


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL or "none (Celery tasks run eagerly)"
    return [f"database: {engine}", f"broker: {broker}"]


@pytest.fixture
def partner(db):
    return PartnerFactory(code="OWN", name="Intégrateur Maison")


@pytest.fixture
def other_partner(db):
    return PartnerFactory(code="OTHER", name="Intégrateur Voisin")


@pytest.fixture
def partner_user(partner):
    return UserFactory(partner=partner, email="user@own.example", first_name="Paula")


@pytest.fixture
def partner_admin(partner):
    return PartnerAdminFactory(partner=partner, email="admin@own.example", first_name="Adèle")


@pytest.fixture
def outsider(other_partner):
    return PartnerAdminFactory(partner=other_partner, email="outsider@other.example")


@pytest.fixture
def sales_admin(db):
    return SalesAdminFactory(email="adv@vendor.example")


@pytest.fixture
def cloud_member(db):
    return CloudTeamFactory(email="cloud@vendor.example")


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user`` (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def on_postgresql():
    return connection.vendor == "postgresql"



@pytest.fixture(autouse=True)
def _migrated_data_after_flush(request):
    """A transactional test finds the data the migrations seed (the catalog, the staff groups).

    Each transactional test ends with a flush that empties every table, the catalog seeded by a
    data migration included: the next one would find no order type and no staff group. This puts
    them back (the same functions as the migration) when they are gone.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.contrib.auth.models import Group

    from orders.models import OrderType

    if OrderType.objects.exists() and Group.objects.exists():
        return
    from importlib import import_module

    from mybusiness.roles import STAFF_GROUP_PERMISSIONS

    import_module("orders.migrations.0002_seed_catalog_and_staff_groups").seed_catalog(apps, None)
    from django.contrib.auth.models import Permission

    for name, wanted in STAFF_GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
