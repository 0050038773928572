"""The 403, 404 and 500 pages keep the portal's look (layout, navigation, a way home)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path, reverse

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a bug, on purpose")


# This module doubles as the URLconf of the 500 test: the portal's URLs plus a broken view.
urlpatterns = [
    path("casse/", broken_view),
    path("", include("mybusiness.urls")),
]
handler403 = "mybusiness.views.permission_denied"
handler404 = "mybusiness.views.page_not_found"
handler500 = "mybusiness.views.server_error"


def test_the_404_page_is_in_the_portal_look(client_for, partner_user):
    response = client_for(partner_user).get("/nulle-part/")
    assert response.status_code == 404
    html = response.text
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html
    assert 'class="navbar' in html and "Commandes" in html  # the layout's navigation
    assert "css/portal.css" in html
    assert f'href="{reverse("home")}"' in html


def test_the_404_page_speaks_english_when_asked(client_for, partner_user):
    client = client_for(partner_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert '<html lang="en">' in response.text
    assert "Page not found" in response.text


def test_the_404_page_works_for_anonymous_visitors(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Commandes" not in response.text  # no partner navigation without a login


def test_the_403_page_is_in_the_portal_look(client_for, partner_user):
    response = client_for(partner_user).get(reverse("partner_users"))  # partner admins only
    assert response.status_code == 403
    assert "Accès refusé" in response.text
    assert 'class="navbar' in response.text
    assert "css/portal.css" in response.text


@pytest.mark.urls("tests.test_infra_pages")
def test_the_500_page_is_in_the_portal_look(partner_user):
    client = Client(raise_request_exception=False)
    client.force_login(partner_user)
    response = client.get("/casse/")
    assert response.status_code == 500
    html = response.text
    assert "Une erreur est survenue" in html
    assert "Something went wrong" in html
    assert 'class="navbar' in html
    assert "css/portal.css" in html
    assert "RuntimeError" not in html and "a bug, on purpose" not in html


@pytest.mark.parametrize("name", ["home", "order_list", "site_list", "opportunity_list"])
def test_a_pages_tab_reads_its_title_then_the_portals(client_for, partner_user, name):
    response = client_for(partner_user).get(reverse(name))
    title = response.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.endswith(" · myBusiness") and len(title) > len(" · myBusiness")
