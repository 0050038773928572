"""The navigation bar (mybusiness.navigation): each role's menu, the current section, escaping, the language switch."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def navbar(response) -> str:
    return re.search(r'<nav class="navbar.*?</nav>', response.text, re.S).group(0)


def menu_links(html: str) -> list[tuple[str, bool]]:
    """(href, is current) of each link of the main menu."""
    menu = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', html, re.S).group(1)
    return [(href, "active" in cls) for cls, href in re.findall(r'<a class="([^"]*)"[^>]* href="([^"]+)"', menu)]


def test_a_partner_sees_their_lists_with_the_current_section_marked(client_for, partner_user):
    client = client_for(partner_user)
    for current in ("order_list", "site_list", "opportunity_list"):
        html = navbar(client.get(reverse(current)))
        assert menu_links(html) == [
            (reverse(name), name == current) for name in ("order_list", "site_list", "opportunity_list")
        ]
        assert html.count('aria-current="page"') == 1
    # Pages under a list belong to its section; the home page to none.
    assert not any(current for _href, current in menu_links(navbar(client.get(reverse("home")))))


def test_only_a_partner_admin_gets_the_users_link(client_for, partner_user, partner_admin):
    users = reverse("partner_users")
    assert users not in navbar(client_for(partner_user).get(reverse("home")))
    assert users in navbar(client_for(partner_admin).get(reverse("home")))


def test_staff_get_the_admin_and_sales_admins_the_sites(client_for, sales_admin, cloud_member):
    assert [href for href, _ in menu_links(navbar(client_for(sales_admin).get(reverse("site_list"))))] == [
        reverse("site_list"), reverse("admin:index"),
    ]
    assert [href for href, _ in menu_links(navbar(client_for(cloud_member).get("/nulle-part/")))] == [
        reverse("admin:index")
    ]


def test_a_visitor_gets_the_language_switch_only(client):
    html = navbar(client.get(reverse("login")))
    assert 'name="language" value="fr"' in html and 'name="language" value="en"' in html
    assert "main-nav" not in html and "user-menu" not in html


def test_the_users_name_and_company_are_escaped(client_for, partner_user):
    partner_user.first_name = "<b>Zoé</b>"
    partner_user.save()
    partner_user.partner.name = "Dupont & <Fils>"
    partner_user.partner.save()
    html = navbar(client_for(partner_user).get(reverse("home")))
    assert "&lt;b&gt;Zoé&lt;/b&gt;" in html and "Dupont &amp; &lt;Fils&gt;" in html
    assert "<b>" not in html


def test_the_language_switch_posts_back_to_the_same_page_with_a_csrf_token(client_for, partner_user):
    client = client_for(partner_user)
    html = navbar(client.get(reverse("order_list") + "?status=draft&q=<x>"))
    form = re.search(rf'<form [^>]*action="{reverse("set_language")}".*?</form>', html, re.S).group(0)
    assert 'name="next" value="/commandes/?status=draft&amp;q=%3Cx%3E"' in form
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{64}"', form)
    assert 'value="fr" class="btn btn-light" lang="fr" aria-pressed="true"' in form
    client.cookies["django_language"] = "en"
    html = navbar(client.get(reverse("order_list")))
    assert 'value="en" class="btn btn-light" lang="en" aria-pressed="true"' in html
    assert ">Orders</a>" in html and "Main navigation" in html
    # The request's language ended with it: what runs next in this thread is in French again.
    assert translation.get_language() == "fr"
