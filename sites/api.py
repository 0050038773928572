"""Sites in the partner API: the browse list with its filters, a site, and a change request."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from catalog import references
from catalog.models import Generation, Solution
from mybusiness.api import (
    MAX_PAGE,
    MAX_PER_PAGE,
    Page,
    answers,
    form_data,
    form_refused,
    idempotent,
    page_of,
)
from sites import selectors, services
from sites.filters import SiteFilterSet
from sites.forms import SiteDataForm
from sites.models import CHANGEABLE_FIELDS, Hosting, SiteStatus

router = Router(tags=["sites"])


class CompanyOut(Schema):
    """A company's data, as a site (or an order's new site) holds it."""

    company_name: str
    siret: str
    vat_number: str
    naf_code: str
    address: str
    postal_code: str
    city: str
    country: str
    phone: str
    email: str
    hosting: str


class CompanyIn(Schema):
    """A company's data as sent; each field is checked by the portal's form, with its messages."""

    company_name: str | None = Field(None, max_length=200)
    siret: str | None = Field(None, max_length=40)
    vat_number: str | None = Field(None, max_length=40)
    naf_code: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=250)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=2)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)


class SiteOut(CompanyOut):
    number: str
    status: str
    generation: str | None
    solution: str | None
    created_at: dt.datetime


class SiteFilters(Schema):
    number: str = Field("", max_length=20)
    company_name: str = Field("", max_length=200)
    siret: str = Field("", max_length=20)
    postal_code: str = Field("", max_length=10)
    city: str = Field("", max_length=100)
    hosting: Hosting | None = None
    status: SiteStatus | None = None
    generation: str | None = Field(None, max_length=40, description="Code de la génération")
    solution: str | None = Field(None, max_length=40, description="Code de la solution")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


def site_out(site) -> dict:
    values = {name: getattr(site, name) for name in SiteOut.model_fields if name not in ("generation", "solution")}
    return {**values, "generation": references.code_of(Generation, site.generation_id),
            "solution": references.code_of(Solution, site.solution_id)}


@router.get("/sites", response=answers(Page[SiteOut]), summary="Sites (filtres de « Parcourir »)")
def site_list(request, filters: Query[SiteFilters]):
    data = filters.model_dump(exclude={"page", "per_page"})
    data.update(generation=references.filter_value(Generation, filters.generation),
                solution=references.filter_value(Solution, filters.solution),
                hosting=filters.hosting or "", status=filters.status or "")
    site_filter = SiteFilterSet(data, queryset=selectors.site_list_for_user(user=request.user))
    if not site_filter.is_valid():
        raise form_refused(site_filter.form)
    page = page_of(site_filter.qs.order_by("number"), page=filters.page, per_page=filters.per_page)
    page["items"] = [site_out(site) for site in page["items"]]
    return page


@router.get("/sites/{number}", response=answers(SiteOut), summary="Un site")
def site_detail(request, number: str):
    return site_out(selectors.site_get(user=request.user, number=number.strip().upper()))


class ChangeRequestIn(CompanyIn):
    """Only the fields to change; the others keep the site's values."""


class ChangeOut(Schema):
    field: str
    old_value: str
    new_value: str
    decision: str
    reason: str


class ChangeRequestOut(Schema):
    id: uuid.UUID
    site: str
    status: str
    created_at: dt.datetime
    changes: list[ChangeOut]


def change_request_out(change_request) -> dict:
    return {
        "id": change_request.public_id, "site": change_request.site.number, "status": change_request.status,
        "created_at": change_request.created_at,
        "changes": [{"field": item.field_name, "old_value": item.old_value, "new_value": item.new_value,
                     "decision": item.decision, "reason": item.reason} for item in change_request.fields.all()],
    }


@router.post("/sites/{number}/change-requests", response=answers(ChangeRequestOut, 201),
             summary="Demande de changement des informations site")
@decorate_view(idempotent)
def site_change_request(request, number: str, payload: ChangeRequestIn):
    site = selectors.site_get(user=request.user, number=number.strip().upper())
    current = {name: getattr(site, name) for name in CHANGEABLE_FIELDS}
    form = SiteDataForm({**current, **form_data(payload)}, initial=current)
    if not form.is_valid():
        raise form_refused(form)
    changed = {name: form.cleaned_data[name] for name in form.changed_data}
    change_request = services.site_change_request_create(site=site, user=request.user, data=changed)
    return Status(201, change_request_out(change_request))
