"""The pickers inside an order (journeys.md, rule 3): « Parcourir » lists what the order can use.

The site picker is the sites' browse scoped to one order: by default only the sites
``orders.fit.site_fit_q`` lets through; « Afficher tous les sites » shows the others with the
reasons ``orders.fit`` gives, and they cannot be chosen. The Site step checks the pick again.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from mybusiness.tenancy import PartnerRequiredMixin, get_visible_or_404
from orders import odata
from orders.fit import site_fit_q, sites_fit_reasons
from orders.models import Order
from sites.views import SiteBrowseView


class OrderSiteBrowseView(PartnerRequiredMixin, SiteBrowseView):
    """« Parcourir » of the Site step, at the order's own address (mode=modal)."""

    title = gettext_lazy("Choisir un site pour cette commande")
    show_all_label = gettext_lazy("Afficher tous les sites")

    @cached_property
    def order(self) -> Order:
        return get_visible_or_404(Order.objects.all(), self.request.user, public_id=self.kwargs["public_id"])

    @cached_property
    def lines(self):
        return odata.saved_lines(self.order)

    def fitting(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(site_fit_q(self.order, self.lines))

    def unfit_reasons(self, records: list) -> dict[Any, list[str]]:
        reasons = sites_fit_reasons(self.order, records, self.lines)
        return {site.number: reasons[site.pk] for site in records if site.pk in reasons}


order_site_browse = OrderSiteBrowseView.as_view()
