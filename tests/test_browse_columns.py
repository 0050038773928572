"""The browse's cells (mybusiness.browse.columns, written by the Jinja2 templates): each kind of
column shown escaped, sorted by the column's own keys."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Generation, Solution
from tests.factories_opportunities import OpportunityFactory
from tests.factories_sites import SiteFactory

pytestmark = pytest.mark.django_db


def cells_of(text: str, value: str) -> list[str]:
    """The inner HTML of the cells of the row whose data-browse-value is ``value``."""
    row = re.search(rf'<tr [^>]*data-browse-value="{re.escape(value)}"[^>]*>(.*?)</tr>', text, re.S)
    assert row, f"no row {value}"
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)


def test_site_cells_link_label_choice_relation_and_default(client_for, partner, partner_user):
    solution = Solution.objects.get(code="ONE_ERP")
    site = SiteFactory(
        partner=partner, company_name="Garage <Schmitt> & Fils", city="Brest", phone="",
        generation=solution.generation, solution=solution,
    )
    client = client_for(partner_user)
    client.post(reverse("site_list"), {"columns": ["number", "company_name", "city", "phone", "hosting", "solution"]})
    text = client.get(reverse("site_list")).text
    number, name, city, phone, hosting, shown_solution = cells_of(text, site.number)
    detail = reverse("site_detail", args=[site.number])
    assert number == f'<a href="{detail}" class="browse-detail-link" data-browse-detail>{site.number}</a>'
    assert name == "Garage &lt;Schmitt&gt; &amp; Fils"
    assert (phone, city) == ("—", "Brest")
    assert hosting == "Cloud éditeur (SaaS)"
    assert shown_solution == str(solution)
    assert f'data-browse-label="{site.number} — Garage &lt;Schmitt&gt; &amp; Fils"' in text


def test_opportunity_cells_through_a_columns_format(client_for, partner, partner_user):
    opportunity = OpportunityFactory(
        partner=partner, estimated_amount=Decimal("12500"), expected_close_date=datetime.date(2027, 2, 15)
    )
    text = client_for(partner_user).get(reverse("opportunity_list")).text
    cells = cells_of(text, opportunity.number)
    assert "12\u00a0500 €" in cells or "12 500 €" in cells  # the column's format
    assert "15/02/2027" in cells  # a date in the language's short format


@pytest.mark.parametrize(("sort", "expected"), [("company_name", ["Alpha", "Beta", "Gamma"]),
                                                 ("-company_name", ["Gamma", "Beta", "Alpha"])])
def test_a_sort_uses_the_column_keys_and_its_header_offers_the_reverse(client_for, partner, partner_user, sort,
                                                                       expected):
    for name in ("Beta", "Gamma", "Alpha"):
        SiteFactory(partner=partner, company_name=name, generation=Generation.objects.get(code="ONE"))
    text = client_for(partner_user).get(reverse("site_list"), {"sort": sort}).text
    shown = re.findall(r"<td>(Alpha|Beta|Gamma)</td>", text)
    assert shown == expected
    header = re.search(r'<th scope="col" aria-sort="(\w+)"[^>]*><a [^>]*data-browse-sort="company_name"', text)
    assert header.group(1) == ("ascending" if sort == "company_name" else "descending")
    next_sort = "-company_name" if sort == "company_name" else "company_name"
    assert f"sort={next_sort}" in re.search(r'<a href="([^"]*)"[^>]*data-browse-sort="company_name"', text).group(1)


def test_an_unknown_or_unorderable_sort_is_ignored(client_for, partner, partner_user):
    SiteFactory(partner=partner)
    client = client_for(partner_user)
    for sort in ("nope", "address", "-phone", "'; DROP TABLE x"):
        response = client.get(reverse("site_list"), {"sort": sort})
        assert response.status_code == 200
        assert 'name="sort"' not in response.text


def test_the_headers_follow_each_requests_language(client_for, partner, partner_user):
    """Requests in French and in English, one after the other, each get their own column titles."""
    SiteFactory(partner=partner)
    client = client_for(partner_user)
    rows_answer = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "browse-sites-rows"}

    def titles(response) -> list[str]:
        return re.findall(r'data-browse-sort="city">([^<]+) <i', response.content.decode())

    assert titles(client.get("/sites/")) == ["Ville"]
    client.post(reverse("set_language"), {"language": "en", "next": "/sites/"})
    assert titles(client.get("/sites/")) == ["City"]
    page = client.get("/sites/", {"city": "b"}, **rows_answer).content.decode()
    assert "City" in titles(client.get("/sites/", **rows_answer)) and 'for="browse-sites-col-city">City<' in page
    client.post(reverse("set_language"), {"language": "fr", "next": "/sites/"})
    assert titles(client.get("/sites/", **rows_answer)) == ["Ville"]
