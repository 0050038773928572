"""manage.py import_sites: upsert by number, a line per row, bad rows refused with their reason."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sites.models import Hosting, Site, SiteEvent, SiteEventKind
from tests.factories_sites import SiteFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "number;partner;company_name;siret;vat_number;naf_code;address;postal_code;city;country;phone;email;"
    "hosting;generation;solution;status\n"
)
GOOD = [
    "C300001;OWN;Boulangerie Martin;73282932000074;FR44732829320;6202A;1 rue Neuve;69003;Lyon;FR;;;"
    "saas;ONE;ONE_ERP;active",
    "C300002;OWN;Transports Lefèvre;;;;;74000;Annecy;;;;on_premise;;;",
]
BAD = [
    "C300003;OWN;Mauvais SIRET;73282932000075;;;;69003;Lyon;FR;;;saas;;;",  # line 4
    "C300004;NOPE;Partenaire inconnu;;;;;69003;Lyon;FR;;;saas;;;",  # line 5
    "C300005;OWN;Code postal;;;;;96000;Lyon;FR;;;saas;;;",  # line 6
    "C300001;OWN;Doublon;;;;;69003;Lyon;FR;;;saas;;;",  # line 7
    "X1;OWN;Mauvais numéro;;;;;69003;Lyon;FR;;;saas;;;",  # line 8
    "C300006;OWN;Solution d'une autre génération;;;;;69003;Lyon;FR;;;saas;ONE;INFINITY;",  # line 9
    "C300007;OWN;;;;;;69003;Lyon;FR;;;cloud;;;",  # line 10
]


def run(tmp_path, lines, name="sites.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("import_sites", str(path), stdout=out)
    return out.getvalue()


def test_it_creates_sites_and_refuses_bad_rows_with_their_reason(tmp_path, partner):
    output = run(tmp_path, GOOD + BAD)
    assert "2 created, 0 updated, 0 unchanged, 7 refused" in output
    assert set(Site.objects.values_list("number", flat=True)) == {"C300001", "C300002"}
    site = Site.objects.get(number="C300001")
    assert (site.partner, site.generation.code, site.solution.code, site.naf_code) == (
        partner,
        "ONE",
        "ONE_ERP",
        "6202A",
    )
    assert Site.objects.get(number="C300002").hosting == Hosting.ON_PREMISE
    refused = {line.split(":")[0]: line for line in output.splitlines() if "refused:" in line}
    assert "clé de contrôle" in refused["line 4"]
    assert "Partenaire inconnu : NOPE" in refused["line 5"]
    assert "département" in refused["line 6"]
    assert "en double" in refused["line 7"]
    assert "C suivi de 6 chiffres" in refused["line 8"]
    assert "n'appartient pas à la génération" in refused["line 9"]
    assert "company_name" in refused["line 10"] and "hosting" in refused["line 10"]


def test_running_the_same_file_twice_changes_nothing(tmp_path, partner):
    run(tmp_path, GOOD)
    output = run(tmp_path, GOOD)
    assert "0 created, 0 updated, 2 unchanged, 0 refused" in output
    assert Site.objects.count() == 2
    assert SiteEvent.objects.filter(kind=SiteEventKind.IMPORTED).count() == 0


def test_it_updates_changed_rows_and_records_what_changed(tmp_path, partner, other_partner):
    SiteFactory(number="C300001", partner=other_partner, company_name="Ancien nom", city="Paris", postal_code="75001")
    output = run(tmp_path, GOOD[:1])
    assert "line 2: C300001 updated" in output
    site = Site.objects.get(number="C300001")
    assert (site.partner, site.company_name, site.city) == (partner, "Boulangerie Martin", "Lyon")
    event = SiteEvent.objects.get(kind=SiteEventKind.IMPORTED)
    assert event.data["city"] == {"old": "Paris", "new": "Lyon"}


def test_it_reads_comma_separated_files_and_refuses_missing_columns(tmp_path, partner):
    path = tmp_path / "comma.csv"
    path.write_text('number,partner,company_name,hosting\nC300010,OWN,"Dupont, Fils",saas\n', encoding="utf-8")
    out = StringIO()
    call_command("import_sites", str(path), stdout=out)
    assert Site.objects.get(number="C300010").company_name == "Dupont, Fils"
    path.write_text("number;company_name\nC1;X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="hosting, partner"):
        call_command("import_sites", str(path), stdout=StringIO())
