"""Playwright fixtures of the sites browser tests (Debian's Chromium, logged in through the login form)."""

from __future__ import annotations

import os

import pytest

from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def logged_in_page(live_server, page):
    """``logged_in_page(user)``: the Playwright page, logged in as ``user`` through the login form."""
    from django.urls import reverse

    def login(user, next_path: str = "/sites/"):
        page.goto(f"{live_server.url}{reverse('login')}?next={next_path}")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "connexion" not in url)
        return page

    return login


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The portal's users are French: the browser asks for French, as theirs does.
    return {**browser_context_args, "locale": "fr-FR"}
