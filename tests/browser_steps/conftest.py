"""Browser tests of wizard steps 4–6: Debian's Chromium, logged in by a session cookie."""

import os

import pytest

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

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def logged_in(live_server, client):
    """``logged_in(page, user)``: the page's browser carries ``user``'s session."""
    from django.conf import settings

    def login(page, user):
        client.force_login(user)
        page.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }])
        return page

    return login



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
