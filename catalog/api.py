"""The catalog in the partner API: what an order may be made of, by code (stable across environments)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from catalog import selectors
from catalog.models import Generation, Solution
from mybusiness.api import answers

router = Router(tags=["catalog"])


class Entry(Schema):
    code: str
    label: str

    @staticmethod
    def resolve_label(entry) -> str:
        return entry.display_label


class OriginOut(Entry):
    site_mode: str
    opportunity_rule: str


class GenerationOut(Entry):
    order_types: list[str]
    site_modes: list[str]

    @staticmethod
    def resolve_order_types(generation) -> list[str]:
        return [order_type.code for order_type in generation.order_types.all()]


class ReferenceOut(Entry):
    kind: str
    odata_target: str
    odata_quota: str
    needs_cloud_activation: bool


@router.get("/order-types", response=answers(list[Entry]), summary="Types de commande")
def order_type_list(request):
    return selectors.order_types()


@router.get("/order-types/{code}/origins", response=answers(list[OriginOut]), summary="Origines permises pour un type")
def origin_list(request, code: str):
    return selectors.origins_for(order_type=get_object_or_404(selectors.order_types(), code=code))


@router.get("/generations", response=answers(list[GenerationOut]), summary="Générations")
def generation_list(request):
    return Generation.objects.filter(is_active=True).prefetch_related("order_types")


@router.get("/generations/{code}/solutions", response=answers(list[Entry]), summary="Solutions d'une génération")
def solution_list(request, code: str):
    return selectors.solutions_for(generation=get_object_or_404(Generation, code=code, is_active=True))


@router.get("/solutions/{code}/references", response=answers(list[ReferenceOut]), summary="Références d'une solution")
def reference_list(request, code: str):
    return selectors.references_for(solution=get_object_or_404(Solution, code=code, is_active=True))
