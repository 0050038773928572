"""Fixtures shared by the suite: the five roles of every permission test.

``partner_user`` and ``partner_admin`` belong to ``partner``; ``outsider`` to
another partner; ``sales_admin`` and ``cloud_member`` are vendor staff.
"""

from __future__ import annotations

import os

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


# ---------------------------------------------------------------------------
# Transactional tests (live server, Celery worker) restore the migrations' data.
#
# A transactional test ends with a flush that also empties what data migrations
# created (staff groups, the catalog, content types). Serialized rollback puts
# that data back at the start of the next transactional test, so every such
# test starts from the same database as the others.


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        if kwargs.get("serialized_rollback"):
            continue
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# ---------------------------------------------------------------------------
# Browser tests: Debian's Chromium driven by pytest-playwright.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def skip_or_fail(reason: str) -> None:
    """A missing service skips the test locally and fails it under CI=true (CI must run everything)."""
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service fails the run)", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("browser") is None:
        return
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"browser test: {CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API runs an event loop in the main thread for the rest of the
    # session; Django refuses ORM calls beside a running loop unless told it is fine.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"browser test: {CHROMIUM} is missing (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def login_as():
    """``login_as(page, live_server, user)``: log in through the real login form, land on the next page."""
    from django.urls import reverse

    from tests.factories import PASSWORD

    def login(page, live_server, user, password: str = PASSWORD, next_url: str | None = None):
        login_path = reverse("login")
        page.goto(f"{live_server.url}{login_path}" + (f"?next={next_url}" if next_url else ""))
        form = page.locator("main form").filter(has=page.locator("input[name=password]"))
        form.locator("input[name=username]").fill(user.email)
        form.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        if page.url.split("?", 1)[0].endswith(login_path):
            raise AssertionError(f"login as {user.email} failed: still on {page.url}")
        return page

    return login


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The portal's users are French: their browsers ask for French (Accept-Language).
    return {**browser_context_args, "locale": "fr-FR"}
