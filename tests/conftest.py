"""Fixtures shared by the suite: the five roles of every permission test.

``partner_user`` and ``partner_admin`` belong to ``partner``; ``outsider`` to
another partner; ``sales_admin`` and ``cloud_member`` are vendor staff.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection

from catalog import references
from perf.processes import CeleryWorker, RedisServer
from tests.factories import (
    CloudTeamFactory,
    PartnerAdminFactory,
    PartnerFactory,
    SalesAdminFactory,
    UserFactory,
)
from tests.otp import Client, pass_second_factor


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
def client():
    """pytest-django's client, whose ``force_login`` also stands for the second factor (tests.otp)."""
    return Client()


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
    if item.get_closest_marker("services") is not None:
        reason = _services_missing_reason()
        if reason:
            skip_or_fail(reason)
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
        if password == PASSWORD:
            pass_second_factor(page, user)
        return page

    return login


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The portal's users are French: their browsers ask for French (Accept-Language).
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1400, "height": 900}}


@pytest.fixture
def logged_in_page(live_server, page):
    """``logged_in_page(user, next_path)``: the Playwright page, logged in as ``user`` through the login form."""
    from django.urls import reverse

    from tests.factories import PASSWORD

    def login(user, next_path: str = "/"):
        page.goto(f"{live_server.url}{reverse('login')}?next={next_path}")
        page.fill("main input[name=username]", user.email)
        page.fill("main input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "connexion" not in url)
        pass_second_factor(page, user)
        return page

    return login


# ---------------------------------------------------------------------------
# Services tests: the real Redis broker and a real Celery worker process.
#
# ``redis_broker`` (session) is a Redis server the tests may stop and restart:
# the one .ci/run started (MYBUSINESS_REDIS_PORT / MYBUSINESS_REDIS_DIR), or,
# for a local run with CELERY_BROKER_URL set, a private one started on a free
# port of its own (56390+) for the session, the Celery app re-pointed at it.
# ``celery_worker`` (function) runs ``celery -A mybusiness worker`` against the
# test database; tests using it get ``transactional_db`` (the worker cannot see
# a test's uncommitted transaction).

REDIS_LOCAL_PORTS = range(56390, 56400)


def _point_celery_at(broker_url: str) -> None:
    """Send the tasks this process queues to ``broker_url`` (drops pooled connections to the old one)."""
    from django.conf import settings

    from mybusiness.celery import app

    settings.CELERY_BROKER_URL = broker_url
    os.environ["CELERY_BROKER_URL"] = broker_url  # Celery reads this variable before its own setting
    app.conf.broker_url = broker_url
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


def _services_missing_reason() -> str | None:

    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return "services test: no CELERY_BROKER_URL (Celery runs eagerly)"
    if connection.vendor != "postgresql":
        return "services test: needs PostgreSQL (a worker process cannot reach the in-memory SQLite test database)"
    if not shutil.which("redis-server"):
        return "services test: redis-server is missing (apt-get install redis-server)"
    return None


@pytest.fixture(scope="session")
def redis_broker(tmp_path_factory):
    """The broker as a ``RedisServer`` the test may ``stop()`` and ``start()``."""
    from django.conf import settings

    reason = _services_missing_reason()
    if reason:
        skip_or_fail(reason)
    port, directory = os.environ.get("MYBUSINESS_REDIS_PORT"), os.environ.get("MYBUSINESS_REDIS_DIR")
    if port and directory:
        # .ci/run's own server: CELERY_BROKER_URL already points at it.
        server = RedisServer(port=int(port), directory=directory)
        if not server.ping():
            skip_or_fail(f"services test: no Redis answers on port {port}")
        original_url = None
    else:

        server = None
        for candidate in REDIS_LOCAL_PORTS:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", candidate)) != 0:
                    server = RedisServer(port=candidate, directory=str(tmp_path_factory.mktemp("redis")))
                    break
        if server is None:
            skip_or_fail(f"services test: no free port for a private Redis in {REDIS_LOCAL_PORTS}")
        server.start()
        original_url = settings.CELERY_BROKER_URL
        _point_celery_at(server.url())
    yield server
    if original_url is None:
        server.start()  # leave .ci/run's server as we found it: running
    else:
        server.stop()
        _point_celery_at(original_url)


def _database_url(settings_dict) -> str:
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict["PASSWORD"]:
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgresql://{credentials}@{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture
def celery_worker(redis_broker, transactional_db, django_db_serialized_rollback, tmp_path):
    """A running Celery worker (``stop()``, ``kill()``, ``start()``, ``restart()``), stopped after the test.

    It runs on tests/worker_settings.py: its broker visibility timeout is 10 s, so a
    message a killed worker held comes back to the restarted worker within seconds,
    not the production hour (a task running longer than that is delivered twice).
    """
    from django.conf import settings

    env = {
        **os.environ,  # includes the defaults tests/settings.py set (DEBUG, SECRET_KEY, hosts, cookies...)
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    worker = CeleryWorker(directory=tmp_path, env=env, concurrency=1, name="test-worker")
    worker.start()
    yield worker
    redis_broker.start()  # a test that stopped the broker and failed leaves it running for the next one
    worker.stop()
    # Captured output: pytest shows it only when the test failed.
    for start in range(1, worker.starts + 1):
        with contextlib.suppress(OSError), open(os.path.join(tmp_path, f"worker-{start}.log")) as handle:
            print(f"--- worker log #{start}\n{handle.read()}")


def wait_until(predicate, *, timeout: float = 20, interval: float = 0.1, message: str = "condition"):
    """Poll ``predicate`` until it returns a true value (returned), or fail after ``timeout`` seconds."""

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not reached within {timeout} s")
        time.sleep(interval)


# ---------------------------------------------------------------------------
# The run's closing words: which database it used, and (under CI=true) proof that the
# browser and services tests really ran rather than being skipped or deselected by accident.

_EXECUTED = {"browser": 0, "services": 0}
_TEST_DATABASE: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    # pytest-django's own fixture, extended: remember the test database's name for the summary.
    name = str(connection.settings_dict["NAME"])
    _TEST_DATABASE["name"] = "in memory" if "memory" in name else name


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        for marker in _EXECUTED:
            if marker in report.keywords:
                _EXECUTED[marker] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = _TEST_DATABASE.get("name", "no test used it")
    broker = settings.CELERY_BROKER_URL or "none (Celery tasks ran eagerly)"
    terminalreporter.write_line(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({name}); broker: {broker}")
    terminalreporter.write_line(
        f"browser tests passed: {_EXECUTED['browser']}; services tests passed: {_EXECUTED['services']}"
    )


def pytest_sessionfinish(session, exitstatus):
    if not _in_ci() or exitstatus != 0:
        return
    selected = {marker: sum(1 for item in session.items if item.get_closest_marker(marker)) for marker in _EXECUTED}
    missing = [marker for marker, count in selected.items() if count and not _EXECUTED[marker]]
    if missing:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nCI=true: no {' / '.join(missing)} test passed although some were selected: failing the run.")


# ---------------------------------------------------------------------------
# A safety net under serialized rollback: whatever flushed the database before, every
# database test starts with the rows that data migrations create (the catalog, the staff
# groups and their permissions). Two cheap queries when they are there, as they almost always are.


def restore_migrated_data() -> None:
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from catalog.models import OrderType
    from mybusiness.roles import SALES_ADMIN_GROUP, staff_group_permissions

    if OrderType.objects.exists() and Group.objects.filter(name=SALES_ADMIN_GROUP).exists():
        return
    import_module("orders.migrations.0002_seed_catalog_and_staff_groups").seed_catalog(apps, None)
    for group_name, wanted in staff_group_permissions().items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for dotted in wanted:
            app_label, codename = dotted.split(".", 1)
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


@pytest.fixture(autouse=True)
def _migrated_data_present(request):
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if _is_transactional(request.node) else "db")
    restore_migrated_data()
    # The catalog's cached rows (catalog.references) belong to the test that read them: a
    # rolled-back test's rows would otherwise be offered to the next one.
    cache.clear()
    references.forget_all()
# Serialized rollback across Playwright. Django's connections live in context-local storage, and
# once Playwright's sync API has started, the tests' code gets new connection objects: they lack
# the ``_test_serialized_contents`` Django put on the first ones when it created the test database.
# Without it a transactional test neither restores the migrations' data (catalog, staff groups)
# nor skips post_migrate when it flushes, and every later transactional test starts without them.
# So the serialized data is kept here and put back on whatever connection objects are current.
_serialized_contents: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def _keep_serialized_contents(django_db_setup):
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _serialized_contents.setdefault(alias, contents)


def _reattach_serialized_contents() -> None:
    from django.db import connections

    for alias, contents in _serialized_contents.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    _reattach_serialized_contents()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    _reattach_serialized_contents()
    yield
    _reattach_serialized_contents()
