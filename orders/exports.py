"""The order list as a spreadsheet: one set of columns for the partner's export (their own filtered
list, from the portal) and the sales administration's (the filtered changelist, with the partner)."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from catalog import references
from catalog.models import Generation, OrderType, Solution
from mybusiness.exports import Column, export_response, field, iterate
from orders.models import OrderStatus


def order_columns(*, with_partner: bool) -> list[Column]:
    statuses = {status.value: str(status.label) for status in OrderStatus}
    types, generations, solutions = (references.labels(model) for model in (OrderType, Generation, Solution))
    columns = [
        Column(_("N° de commande"), field("number")),
        Column(_("Statut"), lambda row: statuses.get(row["status"], row["status"])),
        Column(_("Client"), field("customer_name")),
        Column(_("N° de site"), field("site_number")),
        Column(_("Type de commande"), lambda row: types.get(row["order_type_id"], "")),
        Column(_("Génération"), lambda row: generations.get(row["generation_id"], "")),
        Column(_("Solution"), lambda row: solutions.get(row["solution_id"], "")),
        Column(_("Créée le"), field("created_at")),
        Column(_("Soumise le"), field("submitted_at")),
        Column(_("Dernière modification"), field("updated_at")),
        Column(_("Date de livraison souhaitée"), field("delivery_date")),
        Column(_("N° de devis"), field("quote_number")),
    ]
    if with_partner:
        columns[1:1] = [Column(_("Code partenaire"), field("partner_code")),
                        Column(_("Partenaire"), field("partner_name"))]
    return columns


def order_rows(queryset):
    return queryset.values(
        "number", "status", "customer_name", "order_type_id", "generation_id", "solution_id", "created_at",
        "submitted_at", "updated_at", "delivery_date", "quote_number", site_number=F("site__number"),
        partner_code=F("partner__code"), partner_name=F("partner__name"),
    )


def order_export(queryset, *, file_format: str, with_partner: bool):
    return export_response(
        rows=iterate(order_rows(queryset)), columns=order_columns(with_partner=with_partner),
        filename=str(_("commandes")), file_format=file_format,
    )
