from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.references import ReferenceChoiceFilter
from mybusiness.browse.filters import ListFilterSet
from orders.models import Order, OrderStatus


class OrderListFilter(ListFilterSet):
    # Every field is the same whoever asks (a reference filter lists the catalog as it is when shown).
    fields_depend_on_request = False

    q = django_filters.CharFilter(label=_("Rechercher"), method="search")  # the template writes its input
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=OrderStatus.choices, empty_label=_("Tous"))
    order_type = ReferenceChoiceFilter(label=_("Type"), empty_label=_("Tous"))
    generation = ReferenceChoiceFilter(label=_("Génération"), empty_label=_("Toutes"))

    class Meta:
        model = Order
        fields = ["q", "status", "order_type", "generation"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(customer_name__icontains=value) | Q(site__number__iexact=value)
        )
