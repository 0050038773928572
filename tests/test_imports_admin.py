"""The admin's CSV imports (django-import-export around the import services): an upload shows a preview
with each refused row and its reason and imports nothing; a clean file is imported once confirmed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opportunities.models import Opportunity
from sites.models import Site
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "number;partner;company_name;siret;vat_number;naf_code;address;postal_code;city;country;phone;email;"
    "hosting;generation;solution;status\n"
)
GOOD = "C300001;OWN;Boulangerie Martin;73282932000074;;;1 rue Neuve;69003;Lyon;FR;;;saas;ONE;ONE_ERP;active\n"
BAD = "C300003;OWN;Mauvais SIRET;73282932000075;;;;69003;Lyon;FR;;;saas;;;\n"


@pytest.fixture(autouse=True)
def own_partner():
    return PartnerFactory(code="OWN")


def upload(client, url_name: str, content: str):
    return client.post(
        reverse(url_name),
        {"format": "0", "resource": "0",
         "import_file": SimpleUploadedFile("import.csv", content.encode("utf-8"), content_type="text/csv")},
    )



def test_a_file_with_a_bad_row_shows_it_with_its_reason_and_imports_nothing(client_for, sales_admin):
    response = upload(client_for(sales_admin), "admin:customer_sites_site_import", HEADER + GOOD + BAD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "SIRET" in page and "3" in page  # the refused row, line 3, with the SIRET's reason
    assert "clé de contrôle" in page or "invalide" in page
    assert 'name="confirm"' not in page
    assert not Site.objects.exists()


def test_a_clean_file_is_previewed_then_imported_once_confirmed(client_for, sales_admin):
    client = client_for(sales_admin)
    page = upload(client, "admin:customer_sites_site_import", HEADER + GOOD).content.decode()
    assert "Boulangerie Martin" in page and 'name="confirm"' in page
    assert not Site.objects.exists()  # the preview imports nothing
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken", None)
    response = client.post(reverse("admin:customer_sites_site_process_import"), {**hidden, "confirm": "1"})
    assert response.status_code == 302
    site = Site.objects.get(number="C300001")
    assert (site.company_name, site.partner.code, site.solution.code) == ("Boulangerie Martin", "OWN", "ONE_ERP")
    assert site.events.get().data == {"source": "import"}


def test_opportunities_are_imported_through_their_service(client_for, sales_admin):
    content = "number;partner;name;company_name;stage\nOPP-000201;OWN;Projet ERP;Fromagerie Dubois;open\n"
    client = client_for(sales_admin)
    page = upload(client, "admin:opportunities_opportunity_import", content).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken", None)
    client.post(reverse("admin:opportunities_opportunity_process_import"), {**hidden, "confirm": "1"})
    assert Opportunity.objects.get().company_name == "Fromagerie Dubois"


def test_a_file_missing_a_column_is_refused_whole(client_for, sales_admin):
    client = client_for(sales_admin)
    page = upload(client, "admin:customer_sites_site_import", "number;city\nC1;Lyon\n").content.decode()
    assert "Colonnes obligatoires absentes du fichier" in page


def test_only_who_may_add_sites_imports_them(client_for, cloud_member, sales_admin):
    assert client_for(cloud_member).get(reverse("admin:customer_sites_site_import")).status_code == 403
    page = client_for(sales_admin).get(reverse("admin:customer_sites_site_changelist")).content.decode()
    assert reverse("admin:customer_sites_site_import") in page
