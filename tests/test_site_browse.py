"""The browse component through the site list: columns, header filters, sorting, paging, query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalog.models import Generation
from mybusiness.browse import preferences
from sites.models import Hosting, SiteStatus
from tests.factories_sites import SiteFactory

pytestmark = pytest.mark.django_db
URL = "/sites/"


def numbers(response) -> list[str]:
    return re.findall(r'data-browse-value="(C\d{6})"', response.content.decode())


def headers(response) -> list[str]:
    return re.findall(r'data-browse-sort="(\w+)"', response.content.decode())


@pytest.fixture
def sites(partner):
    one = Generation.objects.get(code="ONE")
    return [
        SiteFactory(
            partner=partner,
            number="C000001",
            company_name="Boulangerie Martin",
            city="Lyon",
            postal_code="69003",
            hosting=Hosting.SAAS,
            generation=one,
        ),
        SiteFactory(
            partner=partner,
            number="C000002",
            company_name="Transports Lefèvre",
            city="Villeurbanne",
            postal_code="69100",
            hosting=Hosting.ON_PREMISE,
        ),
        SiteFactory(
            partner=partner,
            number="C000003",
            company_name="Atelier Martinez",
            city="Annecy",
            postal_code="74000",
            siret="73282932000074",
            status=SiteStatus.CLOSED,
        ),
    ]


def test_it_lists_only_the_partners_sites(client_for, partner_user, sites, other_partner):
    SiteFactory(partner=other_partner, number="C999999", company_name="Boulangerie Voisine")
    response = client_for(partner_user).get(URL)
    assert response.status_code == 200
    assert numbers(response) == ["C000001", "C000002", "C000003"]
    assert "Boulangerie Voisine" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"number": "0002"}, ["C000002"]),
        ({"company_name": "martin"}, ["C000001", "C000003"]),
        ({"company_name": "TRANSPORTS lefè"}, ["C000002"]),
        ({"siret": "7328293"}, ["C000003"]),
        ({"postal_code": "69"}, ["C000001", "C000002"]),
        ({"city": "annec"}, ["C000003"]),
        ({"hosting": "on_premise"}, ["C000002"]),
        ({"status": "closed"}, ["C000003"]),
        ({"company_name": "martin", "city": "lyon"}, ["C000001"]),
        ({"company_name": "nobody"}, []),
    ],
)
def test_each_header_filter_narrows_the_list(client_for, partner_user, sites, params, expected):
    assert numbers(client_for(partner_user).get(URL, params)) == expected


def test_the_generation_filter_uses_the_catalog(client_for, partner_user, sites):
    one = Generation.objects.get(code="ONE")
    assert numbers(client_for(partner_user).get(URL, {"generation": one.pk})) == ["C000001"]


def test_an_invalid_filter_value_shows_the_whole_list_rather_than_failing(client_for, partner_user, sites):
    response = client_for(partner_user).get(URL, {"hosting": "moon", "generation": "x"})
    assert response.status_code == 200
    assert len(numbers(response)) == 3


def test_it_sorts_by_a_column_both_ways(client_for, partner_user, sites):
    client = client_for(partner_user)
    assert numbers(client.get(URL, {"sort": "company_name"})) == ["C000003", "C000001", "C000002"]
    assert numbers(client.get(URL, {"sort": "-company_name"})) == ["C000002", "C000001", "C000003"]
    assert numbers(client.get(URL, {"sort": "-city"})) == ["C000002", "C000001", "C000003"]
    response = client.get(URL, {"sort": "-city"})
    assert 'aria-sort="descending"' in response.content.decode()
    assert numbers(client.get(URL, {"sort": "not_a_column"})) == ["C000001", "C000002", "C000003"]


def test_it_pages_and_keeps_filters_in_the_links(client_for, partner_user, partner):
    for n in range(1, 61):
        SiteFactory(partner=partner, number=f"C1{n:05d}", company_name=f"Alpha {n:02d}" if n % 2 else f"Beta {n:02d}")
    client = client_for(partner_user)
    first = client.get(URL)
    assert len(numbers(first)) == 25
    assert "Page 1 sur 3" in first.content.decode()
    third = client.get(URL, {"page": 3})
    assert numbers(third) == [f"C1{n:05d}" for n in range(51, 61)]
    filtered = client.get(URL, {"company_name": "alpha", "sort": "-number"})
    assert len(numbers(filtered)) == 25
    assert numbers(filtered)[0] == "C100059"
    assert 'href="/sites/?company_name=alpha&amp;sort=-number&amp;page=2"' in filtered.content.decode()
    # A page past the end shows the last one instead of an error.
    assert numbers(client.get(URL, {"page": 99})) == numbers(third)
    assert client.get(URL, {"page": "abc"}).status_code == 200


def test_the_column_choice_is_remembered_per_user_and_per_list(client_for, partner_user, partner_admin, sites):
    client = client_for(partner_user)
    assert "city" in headers(client.get(URL))
    assert "siret" not in headers(client.get(URL))
    response = client.post(
        URL + "?company_name=martin",
        {"columns": ["city", "siret"]},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="browse-sites",
    )
    assert response.status_code == 200
    # The required columns stay; the filter of the page stays applied.
    assert headers(response) == ["number", "company_name", "siret", "city"]
    assert numbers(response) == ["C000001", "C000003"]
    partner_user.refresh_from_db()
    assert partner_user.browse_columns == {"sites": ["siret", "city"]}
    # Remembered on the next visit, for this user only.
    assert headers(client.get(URL)) == ["number", "company_name", "siret", "city"]
    assert "hosting" in headers(client_for(partner_admin).get(URL))
    # Back to the defaults.
    client = client_for(partner_user)
    client.post(URL, {"reset": "1"})
    assert "hosting" in headers(client.get(URL))


def test_a_column_choice_without_htmx_redirects_back_to_the_list(client_for, partner_user, sites):
    response = client_for(partner_user).post(URL + "?city=lyon", {"columns": ["nonsense", "city"]})
    assert response.status_code == 302
    assert response["Location"] == "/sites/?city=lyon"
    partner_user.refresh_from_db()
    assert partner_user.browse_columns == {"sites": ["city"]}


def test_htmx_gets_only_the_list_and_the_modal_gets_its_frame(client_for, partner_user, sites):
    client = client_for(partner_user)
    fragment = client.get(URL, {"city": "lyon"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="browse-sites")
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div class="browse" id="browse-sites"')
    assert "<html" not in body
    modal = client.get(URL, {"mode": "modal"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="browse-modal-content")
    body = modal.content.decode()
    assert 'class="modal-header"' in body and "Valider la sélection" in body
    assert 'name="mode" value="modal"' in body  # the filters keep the modal mode
    assert "hx-push-url" not in body  # a modal never changes the page's address


def test_the_button_under_the_list_says_what_it_does(client_for, partner_user, sites):
    """In an order's modal the chosen site goes back to the field; on the « Sites » page it opens the site."""
    client = client_for(partner_user)
    page = client.get(URL).content.decode()
    assert "Ouvrir le site" in page and "Valider la sélection" not in page
    modal = client.get(URL, {"mode": "modal"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="browse-modal-content")
    assert "Valider la sélection" in modal.content.decode() and "Ouvrir le site" not in modal.content.decode()


def test_a_header_filter_gets_the_rows_and_out_of_band_what_depends_on_them_never_the_inputs(
    client_for, partner_user, sites
):
    """The filter form's htmx target is the rows: the answer must not hold the inputs the user is
    typing in (they would be replaced, and what was typed meanwhile lost)."""
    response = client_for(partner_user).get(
        URL, {"company_name": "martin", "sort": "-number"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="browse-sites-rows"
    )
    body = response.content.decode()
    # The main content, first, is the rows' tbody (swapped in place of the old one).
    assert body.lstrip().startswith('<tbody id="browse-sites-rows">')
    assert numbers(response) == ["C000003", "C000001"]
    assert "browse-sites-filter-" not in body and "browse-filter" not in body and "<select" not in body
    # Out of band, each in a <template> so that the header row parses: the sort links, the count,
    # the pager and the column chooser, whose URLs now carry the filter.
    oob = re.findall(r'<template><(\w+)[^>]* id="([\w-]+)" hx-swap-oob="(\w+)"', body)
    assert oob == [
        ("tr", "browse-sites-sorts", "innerHTML"),
        ("p", "browse-sites-count", "innerHTML"),
        ("div", "browse-sites-pager", "innerHTML"),
        ("div", "browse-sites-columns", "true"),
    ]
    assert 'href="/sites/?company_name=martin&amp;sort=company_name"' in body
    assert 'action="/sites/?company_name=martin&amp;sort=-number"' in body
    assert "2 résultats" in body
    assert {"HX-Request", "HX-Target"} <= {value.strip() for value in response["Vary"].split(",")}
    # The full list still holds the inputs, with the same ids the rows answer swaps into.
    full = client_for(partner_user).get(URL, {"company_name": "martin"}).content.decode()
    assert 'id="browse-sites-filter-company_name"' in full and 'value="martin"' in full
    for element_id in ("browse-sites-rows", "browse-sites-sorts", "browse-sites-count", "browse-sites-pager",
                       "browse-sites-columns"):
        assert f'id="{element_id}"' in full
    assert 'hx-target="#browse-sites-rows"' in full


def test_the_number_links_to_the_site_page_as_a_popup(client_for, partner_user, sites):
    body = client_for(partner_user).get(URL).content.decode()
    assert (
        f'<a href="{reverse("site_detail", args=["C000001"])}" class="browse-detail-link" data-browse-detail>' in body
    )


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_runs_a_fixed_number_of_queries(
    client_for, partner_user, partner, count, django_assert_max_num_queries
):
    generation = Generation.objects.get(code="ONE")
    solution = generation.solutions.first()
    SiteFactory.create_batch(count, partner=partner, generation=generation, solution=solution)
    client = client_for(partner_user)
    client.post(URL, {"columns": ["generation", "solution", "city", "siret"]})
    # session, user, partner (navbar), count, page, generation and solution filter choices
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"sort": "generation"})
    assert len(numbers(response)) == min(count, 25)
    with django_assert_max_num_queries(8):
        client.get(URL, {"company_name": "soc", "mode": "modal"}, HTTP_HX_REQUEST="true")


# --- who may see the site pages -------------------------------------------------------------------


@pytest.fixture
def own_site(partner):
    return SiteFactory(partner=partner, number="C424242")


def site_urls(site) -> list[str]:
    return [
        reverse("site_list"),
        reverse("site_detail", args=[site.number]),
        reverse("site_change_request", args=[site.number]),
    ]


def test_anonymous_users_are_sent_to_the_login(client_for, own_site):
    client = client_for(None)
    for url in site_urls(own_site):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["partner_user", "partner_admin"])
def test_the_partners_users_see_their_site(client_for, own_site, role, request):
    client = client_for(request.getfixturevalue(role))
    for url in site_urls(own_site):
        assert client.get(url).status_code == 200
    assert client.get(reverse("site_detail", args=[own_site.number]), HTTP_HX_REQUEST="true").status_code == 200


def test_another_partner_gets_404_for_every_site_url(client_for, own_site, outsider):
    client = client_for(outsider)
    for url in site_urls(own_site)[1:]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"city": "Paris", "confirm": "1"}).status_code == 404
    assert own_site.number not in client.get(reverse("site_list")).content.decode()
    assert client.get(reverse("site_list"), {"number": own_site.number}).content.decode().count("browse-row") == 0


def test_the_cloud_team_gets_403_on_site_pages(client_for, own_site, cloud_member):
    client = client_for(cloud_member)
    for url in site_urls(own_site):
        assert client.get(url).status_code == 403
    assert client.post(reverse("site_list"), {"columns": ["city"]}).status_code == 403


def test_a_sales_admin_browses_every_partners_sites_with_the_partner_column(
    client_for, sales_admin, own_site, other_partner
):
    theirs = SiteFactory(partner=other_partner, number="C515151", city="Quimper")
    client = client_for(sales_admin)
    page = client.get(reverse("site_list")).content.decode()
    assert own_site.number in page and theirs.number in page
    assert str(other_partner) in page
    filtered = client.get(reverse("site_list"), {"partner": other_partner.code.lower()}).content.decode()
    assert theirs.number in filtered and own_site.number not in filtered


def test_a_sales_admin_reads_a_site_page_without_the_partners_actions(client_for, sales_admin, own_site):
    client = client_for(sales_admin)
    page = client.get(reverse("site_detail", args=[own_site.number])).content.decode()
    assert own_site.company_name in page and str(own_site.partner) in page
    assert reverse("site_change_request", args=[own_site.number]) not in page
    assert client.get(reverse("site_change_request", args=[own_site.number])).status_code == 403


def test_a_partner_sees_no_partner_column_or_filter(client_for, partner_user, own_site):
    page = client_for(partner_user).get(reverse("site_list"), {"partner": "X"}).content.decode()
    assert "browse-sites-filter-partner" not in page
    assert own_site.number in page


def test_an_unknown_or_malformed_number_is_a_404(client_for, partner_user):
    client = client_for(partner_user)
    assert client.get("/sites/C000000/").status_code == 404
    assert client.get("/sites/%27%3B--/").status_code == 404


def test_a_first_page_holding_every_match_runs_no_count(client_for, partner_user, sites):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client_for(partner_user).get(reverse("site_list"), {"city": "lyon"})
    assert "1 résultat" in response.content.decode()
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_past_its_cap_the_count_says_more_than_and_hides_the_last_page(client_for, partner_user, partner, monkeypatch):
    from mybusiness.browse.views import BrowsePaginator

    monkeypatch.setattr(BrowsePaginator, "count_cap", 30)
    SiteFactory.create_batch(40, partner=partner)
    page = client_for(partner_user).get(reverse("site_list")).content.decode()
    assert "Plus de 30 résultats" in page
    assert "Page 1</span>" in page and "Page 1 sur" not in page
    assert "Dernière" in page and "page=2" in page
    assert re.search(r'<a class="page-link" id="browse-sites-page-last" aria-disabled="true">Dernière', page)
    # Below the cap, the exact count and the last page come back.
    monkeypatch.setattr(BrowsePaginator, "count_cap", 100)
    page = client_for(partner_user).get(reverse("site_list")).content.decode()
    assert "40 résultats" in page and "Page 1 sur 2" in page


def test_the_column_choice_comes_with_the_user_and_a_change_shows_at_once_in_another_browser(
    client_for, partner_user, sites, django_assert_num_queries
):
    office, laptop = client_for(partner_user), client_for(partner_user)
    office.post(URL, {"columns": ["siret"]})
    assert headers(laptop.get(URL)) == ["number", "company_name", "siret"]
    # Another list's choice is kept beside it; a reset forgets only its own list.
    office.post("/opportunites/", {"columns": ["city"]})
    office.post(URL, {"reset": "1"})
    assert "hosting" in headers(laptop.get(URL))
    partner_user.refresh_from_db()
    assert partner_user.browse_columns == {"opportunities": ["city"]}
    # Read from the user's row, which every request loads: no query of its own.
    partner_user.browse_columns["sites"] = ["city"]
    with django_assert_num_queries(0):
        assert preferences.chosen_columns(partner_user, "sites") == ["city"]
        assert preferences.chosen_columns(partner_user, "orders") is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_lists_chosen_at_once_in_two_tabs_both_keep_their_choice(partner_user):
    """Each tab's request holds a copy of the user read before either change: each change is made
    to the stored choices, under the row's lock, not to that copy."""
    from django.db import connection

    from mybusiness.models import User
    from tests.concurrency import at_once

    tabs = iter([("sites", ["city"]), ("opportunities", ["stage"])])

    def choose_in_a_tab():
        list_key, columns = next(tabs)
        stale = User.objects.get(pk=partner_user.pk)
        preferences.choose(stale, list_key, columns)
        return list_key

    if connection.vendor == "postgresql":
        assert sorted(at_once(choose_in_a_tab)) == ["opportunities", "sites"]
    else:  # SQLite serialises writers: one change after the other, each from a copy read before both
        office, laptop = User.objects.get(pk=partner_user.pk), User.objects.get(pk=partner_user.pk)
        preferences.choose(office, "sites", ["city"])
        preferences.choose(laptop, "opportunities", ["stage"])
    partner_user.refresh_from_db()
    assert partner_user.browse_columns == {"sites": ["city"], "opportunities": ["stage"]}
