"""R2 for sites and opportunities: the browse lists' query strings and column choice, the site card,
detail pages reached by a typed number, and the site change request form."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sites.models import SiteChangeRequest
from tests.factories_opportunities import OpportunityFactory
from tests.factories_sites import SiteFactory
from tests.fuzz.checks import (
    assert_accepted_or_refused,
    assert_no_nul_stored,
    assert_no_server_error,
    get_query,
    post_form,
    rolled_back,
)
from tests.fuzz.strategies import (
    field,
    form_data,
    fuzz_settings,
    hostile_query,
    hostile_text,
    hostile_value,
    page_numbers,
)

pytestmark = pytest.mark.django_db

BROWSE_LISTS = {
    "site_list": ["number", "company_name", "siret", "postal_code", "city", "hosting", "generation", "solution",
                  "status"],
    "opportunity_list": ["number", "name", "company_name", "postal_code", "city", "contact_name", "generation",
                         "solution", "stage"],
    "opportunity_browse_linkable": ["number", "name", "company_name", "stage", "generation"],
}
SORTS = st.one_of(
    st.sampled_from(["number", "-number", "company_name", "-city", "unknown", "-", "--number", "number,city",
                     "__class__", "pk", "partner__password", "?", "number desc"]),
    hostile_text(),
)
HTMX_TARGETS = st.sampled_from(
    [None, "browse-sites", "browse-sites-rows", "browse-opportunities", "browse-\x00", "x" * 500]
)


@pytest.fixture
def site(partner):
    return SiteFactory(partner=partner, number="C012345", company_name="Boulangerie Martin", siret="73282932000074",
                       address="1 rue Neuve", postal_code="69003", city="Lyon")


@pytest.fixture
def rows(partner, site):
    OpportunityFactory(partner=partner)
    SiteFactory(partner=partner)


@pytest.mark.parametrize("name", sorted(BROWSE_LISTS))
@fuzz_settings(15)
@given(data=st.data())
def test_the_browse_lists_answer_any_query_string(client, partner_user, rows, name, data):
    params = data.draw(hostile_query([*BROWSE_LISTS[name], "mode", "page", "sort"]), label="params")
    if data.draw(st.booleans(), label="with sort and page"):
        params["sort"] = data.draw(SORTS, label="sort")
        params["page"] = data.draw(page_numbers(), label="page")
    target = data.draw(HTMX_TARGETS, label="hx-target")
    extra = {} if target is None else {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}
    client.force_login(partner_user)
    with rolled_back():
        response = get_query(client, reverse(name), params, **extra)
        assert_no_server_error(response)
        assert response.status_code == 200


@pytest.mark.parametrize("name", ["site_list", "opportunity_list"])
@fuzz_settings(10)
@given(columns=st.one_of(st.lists(st.one_of(st.sampled_from(["number", "city", "stage"]), hostile_text()),
                                  max_size=6), hostile_value()),
       reset=st.booleans(), htmx=st.booleans(), query=hostile_query(["page", "sort", "city"]))
def test_the_column_choice_takes_any_post(client, partner_user, rows, name, columns, reset, htmx, query):
    client.force_login(partner_user)
    data = {"columns": columns, **({"reset": "1"} if reset else {})}
    with rolled_back():
        url = reverse(name) + "?" + "&".join(f"{quote(k, safe='')}={quote(str(v), safe='')}"
                                             for k, v in query.items() if isinstance(v, str))
        response = post_form(client, url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
        assert_no_server_error(response)
        # 400: Django refuses to redirect to an address past 2048 characters (the query sent back).
        assert response.status_code in (200, 302, 400)
        assert_no_nul_stored()


@fuzz_settings(12)
@given(params=hostile_query(["site_number", "next"]))
def test_the_site_card_answers_any_typed_number(client, partner_user, site, params):
    client.force_login(partner_user)
    with rolled_back():
        response = get_query(client, reverse("site_card"), params, HTTP_HX_REQUEST="true")
        assert_no_server_error(response)
        assert response.status_code == 200


@fuzz_settings(12)
@given(number=hostile_text(), htmx=st.booleans())
def test_detail_pages_answer_any_typed_number(client, partner_user, site, number, htmx):
    client.force_login(partner_user)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with rolled_back():
        for url in (f"/sites/{quote(number, safe='')}/", f"/opportunites/{quote(number, safe='')}/",
                    f"/sites/{quote(number, safe='')}/demande-de-changement/"):
            response = client.get(url, **extra)
            assert_no_server_error(response)
            assert response.status_code in (200, 404)


def site_values(**overrides):
    values = {"company_name": "Boulangerie Martin", "siret": "73282932000074", "vat_number": "", "naf_code": "",
              "address": "1 rue Neuve", "postal_code": "69003", "city": "Lyon", "country": "FR", "phone": "",
              "email": ""}
    return {**values, **overrides}


CHANGE_FIELDS = {
    "company_name": (st.sampled_from(["Boulangerie Martin", "Boulangerie Martin et Fils"]), 200),
    "siret": (st.sampled_from(["73282932000074", "732 829 320 00074", ""]), 20),
    "vat_number": (st.sampled_from(["", "FR40732829320"]), 24),
    "naf_code": (st.sampled_from(["", "62.02A", "6202A"]), 7),
    "address": (st.sampled_from(["1 rue Neuve", "2 rue Neuve"]), 250),
    "postal_code": (st.sampled_from(["69003", "69100"]), 10),
    "city": (st.sampled_from(["Lyon", "Villeurbanne"]), 100),
    "country": (st.sampled_from(["FR", "fr", "BE"]), 2),
    "phone": (st.sampled_from(["", "04 72 00 00 00"]), 30),
    "email": (st.sampled_from(["", "contact@martin.example"]), 254),
}


@fuzz_settings(25)
@given(
    form=form_data(**{name: field(valid, max_length=limit) for name, (valid, limit) in CHANGE_FIELDS.items()}),
    next_url=st.one_of(st.none(), hostile_text(), st.sampled_from(["/commandes/", "https://evil.example/",
                                                                  "//evil.example", "javascript:alert(1)"])),
)
def test_a_change_request_is_recorded_or_refused_field_by_field(client, partner_user, site, form, next_url):
    data, refused = form
    if next_url is not None:
        data["next"] = next_url
    client.force_login(partner_user)
    with rolled_back():
        before = SiteChangeRequest.objects.count()
        response = post_form(client, reverse("site_change_request", args=[site.number]), data)
        assert_accepted_or_refused(response, refused_fields=refused)
        if response.status_code == 302:
            assert response["Location"].startswith("/") and not response["Location"].startswith("//")
        else:
            assert SiteChangeRequest.objects.count() == before
        assert_no_nul_stored()
