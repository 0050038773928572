from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from mybusiness.browse.tables import DetailLinkColumn
from sites.models import Site


class SiteTable(tables.Table):
    """The site list's columns (the user picks which ones behind the gear icon)."""

    number = DetailLinkColumn(url_name="site_detail", lookup="number", verbose_name=_("numéro de site"))
    company_name = tables.Column(verbose_name=_("raison sociale"), order_by=("company_name", "number"))
    siret = tables.Column(verbose_name=_("SIRET"))
    vat_number = tables.Column(verbose_name=_("numéro de TVA"), order_by=("vat_number", "number"))
    naf_code = tables.Column(verbose_name=_("code NAF/APE"), order_by=("naf_code", "number"))
    address = tables.Column(verbose_name=_("adresse"), orderable=False)
    postal_code = tables.Column(verbose_name=_("code postal"), order_by=("postal_code", "number"))
    city = tables.Column(verbose_name=_("ville"), order_by=("city", "number"))
    country = tables.Column(verbose_name=_("pays"), order_by=("country", "number"))
    phone = tables.Column(verbose_name=_("téléphone"), orderable=False)
    email = tables.Column(verbose_name=_("e-mail"), orderable=False)
    hosting = tables.Column(verbose_name=_("hébergement"), order_by=("hosting", "number"))
    generation = tables.Column(verbose_name=_("génération"), order_by=("generation__label", "number"))
    solution = tables.Column(verbose_name=_("solution"), order_by=("solution__label", "number"))
    status = tables.Column(verbose_name=_("statut"), order_by=("status", "number"))

    class Meta:
        model = Site
        fields = ()
        sequence = (
            "number", "company_name", "siret", "vat_number", "naf_code", "address", "postal_code", "city",
            "country", "phone", "email", "hosting", "generation", "solution", "status",
        )


class StaffSiteTable(SiteTable):
    """Sales admins see every partner's sites: the partner is a column of its own."""

    partner = tables.Column(verbose_name=_("partenaire"), order_by=("partner__code", "number"))

    class Meta(SiteTable.Meta):
        sequence = ("number", "company_name", "partner", "...")
