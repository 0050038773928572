from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from catalog.references import ReferenceChoiceFilter
from mybusiness.browse.filters import ListFilterSet, select_options
from mybusiness.browse.html import escape
from orders.models import Order, OrderStatus


class OrderListFilter(ListFilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="search")  # the template writes its input
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=OrderStatus.choices, empty_label=_("Tous"))
    order_type = ReferenceChoiceFilter(label=_("Type"), empty_label=_("Tous"))
    generation = ReferenceChoiceFilter(label=_("Génération"), empty_label=_("Toutes"))

    class Meta:
        model = Order
        fields = ["q", "status", "order_type", "generation"]

    def selects(self) -> list[dict]:
        """The list's select filters, their ``<option>`` elements written out here (through the
        template engine they cost more than the list's rows)."""
        return [
            {
                "name": bound.html_name,
                "id": bound.id_for_label,
                "label": bound.label,
                "options": mark_safe(  # noqa: S308 (every value escaped)
                    "".join(
                        f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'
                        for value, label, selected in select_options(bound)
                    )
                ),
            }
            for bound in self.form
            if bound.name != "q"
        ]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(customer_name__icontains=value) | Q(site__number__iexact=value)
        )
