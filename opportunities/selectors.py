"""Reads of opportunities, always scoped to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from mybusiness.tenancy import get_visible_or_404
from opportunities.models import Opportunity, normalize_opportunity_number


def opportunity_list_for_user(*, user) -> QuerySet[Opportunity]:
    """The opportunities the browse shows ``user`` (their partner's), with their owner (the
    generation and solution come from the catalog's cache)."""
    return Opportunity.objects.visible_to(user).select_related("owner")


def opportunity_linkable_list_for_user(*, user) -> QuerySet[Opportunity]:
    """The user's opportunities an order may be linked to (the « Parcourir » of an order)."""
    return opportunity_list_for_user(user=user).linkable()


def opportunity_get(*, user, number: str) -> Opportunity:
    """The opportunity numbered ``number`` if ``user`` may see it, else 404."""
    return get_visible_or_404(
        Opportunity.objects.select_related("partner", "generation", "solution__generation", "owner"),
        user,
        number=normalize_opportunity_number(number),
    )


def opportunity_find_for_partner(*, partner_id: int, number: str) -> Opportunity | None:
    """The partner's own opportunity numbered ``number`` (typed in an order), whatever its stage, or None.

    Another partner's opportunity is None as well: the caller says "no such opportunity", never
    that it belongs to someone else.
    """
    number = normalize_opportunity_number(number)
    if not number or "\x00" in number:
        return None  # no opportunity number holds a NUL character, and PostgreSQL refuses to compare one
    return (
        Opportunity.objects.for_partner(partner_id)
        .filter(number=number)
        .select_related("generation", "solution__generation")
        .first()
    )
