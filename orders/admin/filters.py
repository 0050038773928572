"""Sidebar filters for the million-row order list: typed inputs instead of lists of every partner or date."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import OrderStatus


class InputFilter(admin.ListFilter):
    """A sidebar filter made of text or date inputs (no list of choices to load)."""

    template = "admin/orders/filters/input_filter.html"
    # (query parameter, label, input type)
    inputs: tuple[tuple[str, str, str], ...] = ()

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        for name, _label, _type in self.inputs:
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = (value[-1] if isinstance(value, list) else value).strip()[:100]

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return [name for name, _label, _type in self.inputs]

    def choices(self, changelist):
        names = self.expected_parameters()
        yield {
            "inputs": [(name, label, kind, self.used_parameters.get(name, "")) for name, label, kind in self.inputs],
            "hidden": [(key, value) for key, value in changelist.params.items() if key not in names],
            "clear_query_string": changelist.get_query_string(remove=names),
            "is_active": any(self.used_parameters.get(name) for name in names),
        }


class PartnerCodeFilter(InputFilter):
    title = _("partenaire")
    inputs = (("partner_code", _("Code partenaire"), "text"),)

    def queryset(self, request, queryset):
        code = self.used_parameters.get("partner_code")
        return queryset.filter(partner__code__iexact=code) if code else queryset


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        parsed = datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    # The calendar's first and last days bound nothing, and computing with them (the next day, their
    # midnight in UTC) leaves the range Python's dates can hold: they filter nothing.
    if parsed is not None and not datetime.date.min < parsed < datetime.date.max:
        return None
    return parsed


class CreatedBetweenFilter(InputFilter):
    title = _("date de création")
    inputs = (("created_from", _("Du"), "date"), ("created_to", _("Au"), "date"))

    def queryset(self, request, queryset):
        start = _parse_date(self.used_parameters.get("created_from"))
        end = _parse_date(self.used_parameters.get("created_to"))
        zone = timezone.get_current_timezone()
        if start:
            queryset = queryset.filter(created_at__gte=datetime.datetime.combine(start, datetime.time.min, zone))
        if end:
            after = end + datetime.timedelta(days=1)
            queryset = queryset.filter(created_at__lt=datetime.datetime.combine(after, datetime.time.min, zone))
        return queryset


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A sidebar filter that is never « all » by default: it opens on ``default``, the list's usual view,
    and offers no « Tout » of Django's (its own choices say what « all » means)."""

    default = ""

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class QueueStatusFilter(DefaultChoiceFilter):
    """The order list opens on the sales administration's queue, « À traiter » (submitted, oldest first);
    the other statuses on demand. Drafts (a partner's work in progress) only when asked for by name."""

    title = _("statut")
    parameter_name = "statut"
    QUEUE, ALL, DRAFTS = "a-traiter", "toutes", "brouillons"
    default = QUEUE

    def lookups(self, request, model_admin):
        others = [(status.value, status.label) for status in OrderStatus
                  if status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED)]
        return [(self.QUEUE, _("À traiter")), *others, (self.ALL, _("Toutes (hors brouillons)")),
                (self.DRAFTS, _("Brouillons"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.QUEUE:
            return queryset.filter(status=OrderStatus.SUBMITTED)
        if value == self.DRAFTS:
            return queryset.filter(status=OrderStatus.DRAFT)
        if value in OrderStatus.values:
            return queryset.filter(status=value)
        return queryset.exclude(status=OrderStatus.DRAFT)
