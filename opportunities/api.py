"""Opportunities in the partner API: the browse list with its filters, and one opportunity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from catalog import references
from catalog.models import Generation, Solution
from mybusiness.api import MAX_PAGE, MAX_PER_PAGE, Page, answers, form_refused, page_of
from opportunities import selectors
from opportunities.filters import OpportunityFilterSet
from opportunities.models import OpportunityStage

router = Router(tags=["opportunities"])


class OpportunityOut(Schema):
    number: str
    name: str
    stage: str
    company_name: str
    siret: str
    postal_code: str
    city: str
    country: str
    contact_name: str
    contact_email: str
    generation: str | None
    solution: str | None
    estimated_amount: Decimal | None
    expected_close_date: dt.date | None
    created_at: dt.datetime


class OpportunityFilters(Schema):
    number: str = Field("", max_length=20)
    name: str = Field("", max_length=200)
    company_name: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=10)
    city: str = Field("", max_length=100)
    contact_name: str = Field("", max_length=150)
    stage: OpportunityStage | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


def opportunity_out(opportunity) -> dict:
    values = {name: getattr(opportunity, name) for name in OpportunityOut.model_fields
              if name not in ("generation", "solution")}
    return {**values, "generation": references.code_of(Generation, opportunity.generation_id),
            "solution": references.code_of(Solution, opportunity.solution_id)}


@router.get("/opportunities", response=answers(Page[OpportunityOut]), summary="Opportunités (filtres de « Parcourir »)")
def opportunity_list(request, filters: Query[OpportunityFilters]):
    data = {**filters.model_dump(exclude={"page", "per_page"}), "stage": filters.stage or ""}
    opportunity_filter = OpportunityFilterSet(data, queryset=selectors.opportunity_list_for_user(user=request.user))
    if not opportunity_filter.is_valid():
        raise form_refused(opportunity_filter.form)
    page = page_of(opportunity_filter.qs.order_by("number"), page=filters.page, per_page=filters.per_page)
    page["items"] = [opportunity_out(item) for item in page["items"]]
    return page


@router.get("/opportunities/{number}", response=answers(OpportunityOut), summary="Une opportunité")
def opportunity_detail(request, number: str):
    return opportunity_out(selectors.opportunity_get(user=request.user, number=number))
