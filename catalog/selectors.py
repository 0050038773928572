"""Reads of the catalog: which choices follow which answer (never decided on a label)."""

from __future__ import annotations

from django.db.models import QuerySet

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution


def order_types() -> QuerySet[OrderType]:
    return OrderType.objects.filter(is_active=True)


def origins_for(*, order_type: OrderType | None) -> QuerySet[Origin]:
    if order_type is None:
        return Origin.objects.none()
    return order_type.origins.filter(is_active=True)


def generations_for(*, order_type: OrderType | None, origin: Origin | None) -> QuerySet[Generation]:
    """Active generations allowed for this order type and this origin's site mode."""
    if order_type is None or origin is None:
        return Generation.objects.none()
    candidates = Generation.objects.filter(is_active=True, order_types=order_type).prefetch_related("order_types")
    # site_modes is a small JSON list; filtering in Python keeps the code identical on SQLite and PostgreSQL.
    allowed = [g.pk for g in candidates if origin.site_mode in (g.site_modes or [])]
    return Generation.objects.filter(pk__in=allowed)


def solutions_for(*, generation: Generation | None) -> QuerySet[Solution]:
    if generation is None:
        return Solution.objects.none()
    return generation.solutions.filter(is_active=True)


def references_for(*, solution: Solution | None) -> QuerySet[ProductReference]:
    if solution is None:
        return ProductReference.objects.none()
    return solution.references.filter(is_active=True).order_by("kind", "position", "code")
