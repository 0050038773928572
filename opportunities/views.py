from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from mybusiness.browse.views import BrowseView
from mybusiness.tenancy import PartnerRequiredMixin, partner_required
from opportunities import selectors
from opportunities.filters import OpportunityFilterSet
from opportunities.tables import OPPORTUNITY_COLUMNS


class OpportunityBrowseView(PartnerRequiredMixin, BrowseView):
    """« Opportunités » in the navigation: the partner's opportunities."""

    list_key = "opportunities"
    title = gettext_lazy("Opportunités")
    filterset_class = OpportunityFilterSet
    columns = OPPORTUNITY_COLUMNS
    default_columns = (
        "number", "name", "company_name", "city", "generation", "solution", "stage", "estimated_amount",
        "expected_close_date",
    )
    required_columns = ("number", "company_name")
    value_attr = "number"
    detail_url_name = "opportunity_detail"
    default_sort = "number"
    open_label = gettext_lazy("Ouvrir l'opportunité")

    def get_queryset(self):
        return selectors.opportunity_list_for_user(user=self.request.user)


class LinkableOpportunityBrowseView(OpportunityBrowseView):
    """« Parcourir » of an order (mode=modal): by default only the opportunities an order may take
    (open or won); « Afficher toutes les opportunités » shows the lost ones too, with the reason,
    and they cannot be chosen. It shares the column choice of the full list (same ``list_key``).
    """

    title = gettext_lazy("Choisir une opportunité")
    show_all_label = gettext_lazy("Afficher toutes les opportunités")

    def fitting(self, queryset):
        return queryset.linkable()

    def unfit_reasons(self, records: list) -> dict:
        reasons = {record.number: record.link_refusal() for record in records}
        return {number: [reason] for number, reason in reasons.items() if reason}


opportunity_list = OpportunityBrowseView.as_view()
opportunity_browse_linkable = LinkableOpportunityBrowseView.as_view()


@partner_required
def opportunity_detail(request: HttpRequest, number: str) -> HttpResponse:
    """An opportunity's page; loaded with htmx it is the popup opened from a list."""
    opportunity = selectors.opportunity_get(user=request.user, number=number)
    if request.htmx:
        return render(request, "opportunities/_opportunity_detail_modal.html", {"opportunity": opportunity})
    return render(request, "opportunities/opportunity_detail.html", {"opportunity": opportunity})
