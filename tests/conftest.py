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


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated data (the catalog, the staff groups) it starts from.

    A transactional test ends with a flush that empties every table, the catalog seeded by a data
    migration included: a later one would find no order type. With ``serialized_rollback`` Django
    reloads the data serialized after the migrations before each such test (and skips the
    post-migrate signal after its flush, which would otherwise collide with that reload).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}),
                            append=False)
