"""Exports: the partner's own filtered order list, the sales administration's filtered changelists; CSV
streamed, XLSX written row by row; formulas typed by someone never run when the file is opened."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from orders.models import OrderStatus
from tests.factories import PartnerFactory
from tests.factories_orders import OrderFactory
from tests.factories_sites import SiteFactory

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.fixture
def orders(partner, partner_user, other_partner):
    mine = [
        OrderFactory(partner=partner, created_by=partner_user, number="CMD-2026-000101", customer_name="Menuiserie",
                     status=OrderStatus.SUBMITTED),
        OrderFactory(partner=partner, created_by=partner_user, number="CMD-2026-000102",
                     customer_name="=HYPERLINK(\"http://evil.example\")", status=OrderStatus.VALIDATED),
    ]
    OrderFactory(partner=other_partner, number="CMD-2026-000999", customer_name="Autre client",
                 status=OrderStatus.SUBMITTED)
    return mine


def test_a_partner_exports_their_own_filtered_orders_as_csv(client_for, partner_user, orders):
    response = client_for(partner_user).get(reverse("order_list_export", args=["csv"]))
    assert response["Content-Disposition"].startswith('attachment; filename="commandes-')
    rows = csv_rows(response)
    assert rows[0][:3] == ["N° de commande", "Statut", "Client"]
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {"CMD-2026-000101", "CMD-2026-000102"}
    # The formula typed as a customer's name is written as text.
    assert any(row[2] == "'=HYPERLINK(\"http://evil.example\")" for row in rows[1:])

    url = reverse("order_list_export", args=["csv"])
    filtered = csv_rows(client_for(partner_user).get(url, {"status": "submitted"}))
    assert [row[0] for row in filtered[1:]] == ["CMD-2026-000101"]
    assert [row[1] for row in filtered[1:]] == ["Soumise"]


def test_the_same_list_as_xlsx(client_for, partner_user, orders):
    rows = xlsx_rows(client_for(partner_user).get(reverse("order_list_export", args=["xlsx"])))
    assert rows[0][0] == "N° de commande"
    assert {row[0] for row in rows[1:]} == {"CMD-2026-000101", "CMD-2026-000102"}


def test_the_order_list_links_to_its_exports_with_its_filters(client_for, partner_user, orders):
    page = client_for(partner_user).get(reverse("order_list"), {"status": "submitted"}).content.decode()
    assert reverse("order_list_export", args=["csv"]) + "?status=submitted" in page
    assert reverse("order_list_export", args=["xlsx"]) + "?status=submitted" in page


def test_an_unknown_format_is_not_found(client_for, partner_user):
    assert client_for(partner_user).get(reverse("order_list_export", args=["pdf"])).status_code == 404


def test_only_partners_export_from_the_portal(client, client_for, cloud_member):
    url = reverse("order_list_export", args=["csv"])
    assert client.get(url).status_code == 302
    assert client_for(cloud_member).get(url).status_code == 403


def test_the_export_reads_its_rows_while_it_writes_them(client_for, partner_user, partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    OrderFactory.create_batch(30, partner=partner, created_by=partner_user)
    response = client_for(partner_user).get(reverse("order_list_export", args=["csv"]))
    # The view answered without reading the orders: they are read as the body is written.
    with CaptureQueriesContext(connection) as reading:
        assert len(csv_rows(response)) == 31
    assert any("orders_order" in query["sql"] for query in reading.captured_queries)


def test_sales_administration_exports_the_filtered_changelist(client_for, sales_admin, orders):
    url = reverse("admin:orders_order_export", args=["csv"])
    rows = csv_rows(client_for(sales_admin).get(url, {"statut": "validated"}))
    assert rows[0][:4] == ["N° de commande", "Code partenaire", "Partenaire", "Statut"]
    assert [row[0] for row in rows[1:]] == ["CMD-2026-000102"]
    page = client_for(sales_admin).get(reverse("admin:orders_order_changelist")).content.decode()
    assert reverse("admin:orders_order_export", args=["xlsx"]) in page


def test_sales_administration_exports_the_sites(client_for, sales_admin, partner):
    SiteFactory(partner=partner, number="C100001", company_name="Brasserie du Port", phone="+33472102030")
    SiteFactory(partner=PartnerFactory(code="ZZZ"), number="C100002", company_name="Ailleurs")
    url = reverse("admin:customer_sites_site_export", args=["xlsx"])
    rows = xlsx_rows(client_for(sales_admin).get(url, {"q": "Brasserie"}))
    assert rows[0][:4] == ["N° de site", "Code partenaire", "Partenaire", "Raison sociale"]
    assert [(row[0], row[3], row[11]) for row in rows[1:]] == [("C100001", "Brasserie du Port", "04 72 10 20 30")]


def test_the_cloud_team_exports_nothing(client_for, cloud_member, orders):
    for url in (reverse("admin:orders_order_export", args=["csv"]),
                reverse("admin:customer_sites_site_export", args=["csv"])):
        assert client_for(cloud_member).get(url).status_code == 403
    page = client_for(cloud_member).get(reverse("admin:customer_sites_site_changelist")).content.decode()
    assert "export.csv" not in page
