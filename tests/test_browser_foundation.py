"""The foundation in a real Chromium: log in, see the counters, switch language, error pages."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.browser

# Screenshots go here when MYBUSINESS_SCREENSHOTS is set (looked at by a human, never asserted on).
SCREENSHOTS = os.environ.get("MYBUSINESS_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.locator(f"nav button[name=language][value={code}]").click()


def test_it_logs_in_lands_on_the_counters_and_switches_to_english(page, live_server, login_as, partner_user):
    page.goto(f"{live_server.url}/compte/connexion/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Connexion à myBusiness")).to_be_visible()
    shot(page, "login-fr")

    login_as(page, live_server, partner_user)

    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("heading", name="Bonjour Paula")).to_be_visible()
    for status in ("draft", "submitted", "returned"):
        expect(page.get_by_test_id(f"counter-{status}")).to_have_text("0")
    expect(page.get_by_role("link", name="Brouillons")).to_be_visible()
    expect(page.get_by_role("link", name="Commandes")).to_be_visible()
    shot(page, "home-fr")

    switch_language(page, "en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Drafts")).to_be_visible()
    expect(page.get_by_role("link", name="Orders")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Hello Paula"))).to_be_visible()
    expect(page.get_by_text("Brouillons")).to_have_count(0)
    shot(page, "home-en")

    switch_language(page, "fr")
    expect(page.get_by_role("link", name="Brouillons")).to_be_visible()


def test_the_login_page_switches_to_english_before_login(page, live_server):
    page.goto(f"{live_server.url}/compte/connexion/")
    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Log in to myBusiness")).to_be_visible()
    shot(page, "login-en")


def test_the_error_pages_keep_the_portal_look_in_both_languages(page, live_server, login_as, partner, other_partner):
    admin = UserFactory(partner=partner, email="user@own.example", first_name="Paula")
    login_as(page, live_server, admin)
    for language, not_found, denied in (
        ("fr", "Page introuvable", "Accès refusé"),
        ("en", "Page not found", "Access denied"),
    ):
        if language == "en":
            switch_language(page, "en")
        response = page.goto(f"{live_server.url}/cette-page-n-existe-pas/")
        assert response.status == 404
        expect(page.get_by_role("heading", name=not_found)).to_be_visible()
        expect(page.locator("nav.navbar")).to_be_visible()
        shot(page, f"404-{language}")

        # A partner user is not a partner admin: user management is refused.
        response = page.goto(f"{live_server.url}/utilisateurs/")
        assert response.status == 403
        expect(page.get_by_role("heading", name=denied)).to_be_visible()
        shot(page, f"403-{language}")


def test_the_navigation_marks_the_section_and_the_user_menu_logs_out(page, live_server, login_as, partner_user):
    login_as(page, live_server, partner_user)
    page.goto(f"{live_server.url}/opportunites/")
    current = page.locator("nav a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text("Opportunités")

    page.locator("#user-menu").click()  # Bootstrap's dropdown
    expect(page.get_by_text(partner_user.email)).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()
    page.goto(f"{live_server.url}/commandes/")
    expect(page.get_by_role("heading", name="Connexion à myBusiness")).to_be_visible()
