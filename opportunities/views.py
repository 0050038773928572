from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from mybusiness.browse.views import BrowseView
from mybusiness.tenancy import PartnerRequiredMixin, partner_required
from opportunities import selectors
from opportunities.filters import LinkableOpportunityFilterSet, OpportunityFilterSet
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
    """« Parcourir » of an order (mode=modal): only the opportunities an order may take (never lost ones).

    The wizard opens it with ``stage=open``: the open ones first, the won ones one filter away.
    It shares the column choice of the full list (same ``list_key``).
    """

    title = gettext_lazy("Choisir une opportunité")
    filterset_class = LinkableOpportunityFilterSet

    def get_queryset(self):
        return selectors.opportunity_linkable_list_for_user(user=self.request.user)


opportunity_list = OpportunityBrowseView.as_view()
opportunity_browse_linkable = LinkableOpportunityBrowseView.as_view()


@partner_required
def opportunity_detail(request: HttpRequest, number: str) -> HttpResponse:
    """An opportunity's page; loaded with htmx it is the popup opened from a list."""
    opportunity = selectors.opportunity_get(user=request.user, number=number)
    if request.htmx:
        return render(request, "opportunities/_opportunity_detail_modal.html", {"opportunity": opportunity})
    return render(request, "opportunities/opportunity_detail.html", {"opportunity": opportunity})
