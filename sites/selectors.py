"""Reads of sites, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from mybusiness.tenancy import get_visible_or_404
from sites.models import ChangeRequestStatus, Site, SiteChangeRequest, SiteStatus
from sites.validators import normalize_company_name, normalize_siret


def site_list_for_user(*, user) -> QuerySet[Site]:
    """The sites the browse shows ``user`` (their partner's; every site, with its partner, for a sales admin).

    The generation and solution are not joined: the browse shows them from the catalog's cache."""
    sites = Site.objects.visible_to(user)
    return sites.select_related("partner") if user.is_sales_admin else sites


def site_get(*, user, number: str) -> Site:
    """The site numbered ``number`` if ``user`` may see it, else 404."""
    return get_visible_or_404(
        Site.objects.select_related("partner", "generation", "solution"), user, number=number
    )


def site_get_active_for_partner(*, partner_id: int, number: str) -> Site | None:
    """The partner's own active site numbered ``number`` (typed in an order), or None."""
    if "\x00" in (number or ""):
        return None  # no site number holds a NUL character, and PostgreSQL refuses to compare one
    return (
        Site.objects.for_partner(partner_id)
        .filter(number=(number or "").strip().upper(), status=SiteStatus.ACTIVE)
        .select_related("generation", "solution")
        .first()
    )


def site_get_for_partner(*, partner_id: int, number: str) -> Site | None:
    """The partner's own site numbered ``number``, active or closed (an order says why it cannot use
    a closed one), or None."""
    if "\x00" in (number or ""):
        return None
    return Site.objects.for_partner(partner_id).filter(number=(number or "").strip().upper()).first()


def site_pending_change_request(*, site: Site) -> SiteChangeRequest | None:
    return site.change_requests.filter(status=ChangeRequestStatus.PENDING).prefetch_related("fields").first()


def site_change_requests(*, site: Site, limit: int = 10) -> list[SiteChangeRequest]:
    """The site's latest change requests with their fields (a fixed number of queries)."""
    return list(
        site.change_requests.select_related("requested_by", "reviewed_by").prefetch_related("fields")[:limit]
    )


def site_find_duplicates(
    *, partner_id: int, siret: str = "", company_name: str = "", postal_code: str = "", limit: int = 5
) -> list[Site]:
    """The partner's sites that look like the given company: same SIRET, or same normalized name and postal code."""
    found: dict[int, Site] = {}
    siret = normalize_siret(siret)
    base = Site.objects.for_partner(partner_id).select_related("generation", "solution")
    if siret:
        for site in base.filter(siret=siret)[:limit]:
            found[site.pk] = site
    name = normalize_company_name(company_name)
    if name and postal_code:
        # Few sites share a postal code within one partner: compare the normalized names in Python.
        for site in base.filter(postal_code=postal_code.strip())[:500]:
            if normalize_company_name(site.company_name) == name:
                found.setdefault(site.pk, site)
    return list(found.values())[:limit]
