"""The site list's columns (the user picks which ones behind the gear icon)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from catalog import references
from mybusiness.browse.columns import Column, choice_labels
from sites.models import Hosting, Site, SiteStatus
from sites.validators import format_phone


def catalog_texts(field_name: str):
    """``labels`` of a column holding a catalog entry: its text from the catalog cache, so the
    list's query needs no join for it."""
    related = Site._meta.get_field(field_name).related_model
    return lambda: references.texts(related)


SITE_COLUMNS = (
    Column("number", _("numéro de site"), link_url_name="site_detail", link_lookup="number"),
    Column("company_name", _("raison sociale"), order_by=("company_name", "number")),
    Column("siret", _("SIRET")),
    Column("vat_number", _("numéro de TVA"), order_by=("vat_number", "number")),
    Column("naf_code", _("code NAF/APE"), order_by=("naf_code", "number")),
    Column("address", _("adresse"), orderable=False),
    Column("postal_code", _("code postal"), order_by=("postal_code", "number")),
    Column("city", _("ville"), order_by=("city", "number")),
    Column("country", _("pays"), order_by=("country", "number")),
    Column("phone", _("téléphone"), orderable=False, format=format_phone),
    # An address without spaces breaks anywhere rather than widen the list by itself.
    Column("email", _("e-mail"), orderable=False, css_class="browse-unspaced"),
    Column("hosting", _("hébergement"), order_by=("hosting", "number"), labels=choice_labels(Hosting.choices)),
    Column(
        "generation", _("génération"), order_by=("generation__label", "number"), attribute="generation_id",
        labels=catalog_texts("generation"),
    ),
    Column(
        "solution", _("solution"), order_by=("solution__label", "number"), attribute="solution_id",
        labels=catalog_texts("solution"),
    ),
    Column("status", _("statut"), order_by=("status", "number"), labels=choice_labels(SiteStatus.choices)),
)

# Sales admins see every partner's sites: the partner is a column of its own, third.
STAFF_SITE_COLUMNS = (
    *SITE_COLUMNS[:2],
    Column("partner", _("partenaire"), order_by=("partner__code", "number")),
    *SITE_COLUMNS[2:],
)
