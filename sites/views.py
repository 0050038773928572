from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mybusiness.browse.views import BrowseView
from mybusiness.tenancy import PortalAccessMixin, partner_required, portal_access_required
from sites import selectors, services
from sites.filters import SiteFilterSet, StaffSiteFilterSet
from sites.forms import SiteDataForm
from sites.models import CHANGEABLE_FIELDS, SiteStatus
from sites.tables import SITE_COLUMNS, STAFF_SITE_COLUMNS


class SiteBrowseView(PortalAccessMixin, BrowseView):
    """The partner's sites: « Sites » in the navigation, and « Parcourir » in an order (mode=modal).

    Sales admins browse every partner's sites, with the partner as a column and a header filter.
    """

    list_key = "sites"
    title = gettext_lazy("Sites")
    default_columns = (
        "number", "company_name", "partner", "postal_code", "city", "hosting", "generation", "solution", "status",
    )
    required_columns = ("number", "company_name")
    value_attr = "number"
    detail_url_name = "site_detail"
    default_sort = "number"
    open_label = gettext_lazy("Ouvrir le site")

    @property
    def columns(self):
        return STAFF_SITE_COLUMNS if self.request.user.is_sales_admin else SITE_COLUMNS

    @property
    def filterset_class(self):
        return StaffSiteFilterSet if self.request.user.is_sales_admin else SiteFilterSet

    def get_queryset(self):
        return selectors.site_list_for_user(user=self.request.user)


site_list = SiteBrowseView.as_view()


@portal_access_required
def site_detail(request: HttpRequest, number: str) -> HttpResponse:
    """A site's page; loaded with htmx it is the popup opened from a list."""
    site = selectors.site_get(user=request.user, number=number)
    context = {
        "site": site,
        "change_requests": selectors.site_change_requests(site=site, limit=5),
    }
    context["pending_request"] = next((r for r in context["change_requests"] if r.is_pending), None)
    template = "sites/_site_detail_modal.html" if request.htmx else "sites/site_detail.html"
    return render(request, template, context)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return None


@partner_required
def site_change_request_create(request: HttpRequest, number: str) -> HttpResponse:
    """« Demande de changement des informations site »: edit the data, confirm, then it goes to sales admin."""
    site = selectors.site_get(user=request.user, number=number)
    pending = selectors.site_pending_change_request(site=site)
    next_url = _safe_next(request)
    form = SiteDataForm(request.POST or None, instance=None, initial={n: getattr(site, n) for n in CHANGEABLE_FIELDS})
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            # Only what the partner changed: « 04 72 00 00 00 » stored before the phone rule is not
            # a change when it comes back as +33472000000.
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            services.site_change_request_create(site=site, user=request.user, data=changed)
        except services.SiteChangeRequestError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Votre demande de changement a été transmise à l'administration des ventes. "
                  "Vous serez prévenu par e-mail de sa réponse."),
            )
            return redirect(next_url or site.get_absolute_url())
    return render(
        request,
        "sites/site_change_request.html",
        {"site": site, "form": form, "pending_request": pending, "next_url": next_url},
    )


@partner_required
def site_card(request: HttpRequest) -> HttpResponse:
    """htmx: the read-only card of the partner's active site typed or chosen in an order."""
    number = (request.GET.get("site_number") or "").strip().upper()
    site = selectors.site_get_for_partner(partner_id=request.user.partner_id, number=number) if number else None
    # A closed site of the partner is named as such, not as an unknown number (the order refuses it).
    closed = site is not None and site.status != SiteStatus.ACTIVE
    if closed:
        site = None
    context = {
        "site": site,
        "closed": closed,
        "number": number,
        "next_url": _safe_next(request),
        "in_form": request.GET.get("in_form") == "1",
        "pending_request": selectors.site_pending_change_request(site=site) if site else None,
    }
    return render(request, "sites/includes/site_card.html", context)
