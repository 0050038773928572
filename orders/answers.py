"""The partner's answers of an order as readable (label, value) pairs, to compare two moments.

A return for correction keeps the answers as they were (``OrderEvent.answers``); once the order comes
back, the sales administration sees what changed since (``changes_since_return``), field by field.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from orders.models import Order, OrderEvent, OrderStatus

# The order's own fields a partner answers, in the wizard's order.
ANSWER_FIELDS = [
    "order_type", "origin", "opportunity", "generation", "solution", "site",
    "new_site_company_name", "new_site_siret", "new_site_vat_number", "new_site_naf_code", "new_site_address",
    "new_site_postal_code", "new_site_city", "new_site_country", "new_site_phone", "new_site_email",
    "new_site_hosting",
    "contact_civility", "contact_first_name", "contact_last_name", "contact_function", "contact_email",
    "contact_phone", "user_count", "go_live_date", "business_sector", "headcount",
    "delivery_date", "certificate_recipients", "quote_number", "comments",
]


def order_answers(order: Order) -> dict[str, str]:
    """{field name or « line:<code> » or « document:<name> »: value as text} of the order as saved, always
    written in the default language, so that two moments compare whoever looked at them."""
    with translation.override(settings.LANGUAGE_CODE):
        return _answers(order)


def _answers(order: Order) -> dict[str, str]:
    answers = {}
    for name in ANSWER_FIELDS:
        field = Order._meta.get_field(name)
        value = getattr(order, name)
        if field.choices and value:
            value = getattr(order, f"get_{name}_display")()
        elif name in ("delivery_date", "go_live_date") and value:
            value = date_format(value, "DATE_FORMAT")
        elif name == "certificate_recipients":
            value = ", ".join(value or [])
        answers[name] = "" if value is None else str(value)
    for line in order.lines.select_related("reference"):
        answers[f"line:{line.reference.code}"] = str(line.quantity)
    for document in order.documents.all():
        answers[f"document:{document.original_name}"] = document.get_kind_display()
    return answers


def _label(key: str) -> str:
    if key.startswith("line:"):
        return _("Quantité de %(code)s") % {"code": key[5:]}
    if key.startswith("document:"):
        return _("Document %(name)s") % {"name": key[9:]}
    label = str(Order._meta.get_field(key).verbose_name).capitalize()
    # The new site and the contact share field names (e-mail, phone): say whose.
    if key.startswith("new_site_"):
        return _("Nouveau site : %(field)s") % {"field": label}
    if key.startswith("contact_"):
        return _("Interlocuteur : %(field)s") % {"field": label}
    return label


def changes_since_return(order: Order) -> tuple[OrderEvent | None, list[tuple[str, str, str]]]:
    """The latest return of a resubmitted order and each answer changed since: (label, before, now)."""
    returned = order.events.filter(to_status=OrderStatus.RETURNED).order_by("-created_at", "-id").first()
    if returned is None or not returned.answers or order.status == OrderStatus.RETURNED:
        return returned, []
    before, now = returned.answers, order_answers(order)
    keys = list(before) + [key for key in now if key not in before]
    return returned, [
        (_label(key), before.get(key, "—") or "—", now.get(key, "—") or "—")
        for key in keys
        if before.get(key, "") != now.get(key, "")
    ]
