"""Linking an order to one of its partner's opportunities (design §5, step 1 and 3).

An opportunity brings the product (generation and solution, then locked in step 2), the new
site's data (its prospect) and the main contact (its prospect contact). Pre-filled data fill
only what the order does not have yet: whatever the partner typed stays theirs, and every
pre-filled field stays editable in its step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog import selectors as catalog
from catalog.models import OpportunityRule, SiteMode
from opportunities.models import Opportunity
from orders.errors import OrderError
from orders.models import Civility, Order, OrderStatus
from orders.services.drafts import _editable, _save
from orders.services.lifecycle import record_event

# Order field ← opportunity field, for the new-site data of step 3.
NEW_SITE_FROM_PROSPECT = {
    "new_site_company_name": "company_name",
    "new_site_siret": "siret",
    "new_site_vat_number": "vat_number",
    "new_site_naf_code": "naf_code",
    "new_site_address": "address",
    "new_site_postal_code": "postal_code",
    "new_site_city": "city",
    "new_site_phone": "phone",
    "new_site_email": "email",
}
# Order field ← opportunity field, for the main contact of step 4 (the name is split apart).
CONTACT_FROM_PROSPECT = {
    "contact_function": "contact_function",
    "contact_email": "contact_email",
    "contact_phone": "contact_phone",
}
# An order in these statuses no longer stands for the opportunity: it does not count as a duplicate.
_DEAD_STATUSES = (OrderStatus.CANCELLED, OrderStatus.REJECTED)


@dataclass
class OpportunityLink:
    """What linking changed: ``cleared`` (sentences), and the labels of the fields it pre-filled."""

    opportunity: Opportunity
    cleared: list[str] = field(default_factory=list)
    prefilled_site: list[str] = field(default_factory=list)
    prefilled_contact: list[str] = field(default_factory=list)


def opportunity_refusal(*, order: Order, opportunity: Opportunity | None, number: str = "") -> str | None:
    """Why ``opportunity`` cannot be linked to ``order`` (a sentence), or None when it can.

    ``None`` and another partner's opportunity get the same answer: the partner never learns
    that a number exists elsewhere.
    """
    if opportunity is None or opportunity.partner_id != order.partner_id:
        return _("Aucune opportunité de votre société ne porte le numéro « %(number)s ».") % {
            "number": number or getattr(opportunity, "number", "")
        }
    return opportunity.link_refusal()


def opportunity_other_orders(*, opportunity: Opportunity, order: Order) -> QuerySet[Order]:
    """The other live orders linked to ``opportunity`` (neither cancelled nor rejected)."""
    return (
        Order.objects.filter(opportunity=opportunity, partner_id=order.partner_id)
        .exclude(pk=order.pk)
        .exclude(status__in=_DEAD_STATUSES)
        .order_by("created_at", "id")
    )


def opportunity_warnings(*, opportunity: Opportunity, order: Order) -> list[str]:
    """Non-blocking warnings about linking ``opportunity`` to ``order`` (already linked elsewhere)."""
    others = list(opportunity_other_orders(opportunity=opportunity, order=order)[:5])
    if not others:
        return []
    described = ", ".join(
        _("%(number)s (%(status)s)") % {"number": other.number, "status": other.get_status_display()}
        if other.number
        else _("un brouillon du %(date)s") % {"date": date_format(localtime(other.created_at), "SHORT_DATE_FORMAT")}
        for other in others
    )
    return [
        _("L'opportunité %(number)s est déjà liée à une autre commande : %(orders)s. "
          "Vérifiez qu'il ne s'agit pas d'un doublon.")
        % {"number": opportunity.number, "orders": described}
    ]


def order_link_opportunity(*, order: Order, user, opportunity: Opportunity) -> OpportunityLink:
    """Link ``opportunity`` to the draft and take what it knows.

    * generation and solution become the opportunity's (step 2 then shows them locked); lines
      whose reference the new solution does not offer are removed, and said so;
    * for a new site, the empty new-site fields are filled from the prospect;
    * the empty main-contact fields are filled from the prospect contact (its name split into
      first and last name).

    Refused (``OrderError``) for an opportunity of another partner (worded as if it did not
    exist), a lost one, an origin that takes no opportunity, or a product the order type does
    not allow. Linking the same opportunity again only fills what is still empty.
    """
    refusal = opportunity_refusal(order=order, opportunity=opportunity)
    if refusal:
        raise OrderError(refusal)
    with transaction.atomic():
        locked = _editable(order)
        if locked.origin_id is None:
            raise OrderError(_("Choisissez d'abord le type et l'origine de la commande."))
        if locked.origin.opportunity_rule == OpportunityRule.NONE:
            raise OrderError(
                _("L'origine « %(origin)s » ne prend pas d'opportunité.") % {"origin": locked.origin}
            )
        result = OpportunityLink(opportunity=opportunity)
        fields: list[str] = ["opportunity"]
        was_linked = locked.opportunity_id == opportunity.pk
        locked.opportunity = opportunity
        _take_product(locked, opportunity, fields, result)
        if locked.origin.site_mode == SiteMode.NEW:
            _prefill_new_site(locked, opportunity, fields, result)
        _prefill_contact(locked, opportunity, fields, result)
        _save(locked, fields)
        if not was_linked:
            record_event(
                order=locked,
                actor=user,
                message=gettext_noop("Opportunité %(opportunity)s liée."),
                message_params={"opportunity": str(opportunity)},
            )
    order.refresh_from_db()
    return result


def order_unlink_opportunity(*, order: Order, user) -> list[str]:
    """Remove the draft's opportunity, when its origin makes it optional; what it pre-filled stays (editable).

    Returns the sentences describing what changed (empty when nothing was linked).
    """
    with transaction.atomic():
        locked = _editable(order)
        if locked.opportunity_id is None:
            return []
        if locked.origin_id and locked.origin.opportunity_rule == OpportunityRule.REQUIRED:
            raise OrderError(
                _("L'origine « %(origin)s » exige une opportunité : choisissez-en une autre plutôt que de la retirer.")
                % {"origin": locked.origin}
            )
        previous = locked.opportunity
        locked.opportunity = None
        _save(locked, ["opportunity"])
        record_event(
            order=locked, actor=user, message=gettext_noop("Opportunité %(opportunity)s retirée."),
            message_params={"opportunity": str(previous)},
        )
    order.refresh_from_db()
    return [_("l'opportunité liée (la génération et la solution redeviennent modifiables)")]


def _take_product(order: Order, opportunity: Opportunity, fields: list[str], result: OpportunityLink) -> None:
    solution = opportunity.solution
    generation = solution.generation if solution is not None else opportunity.generation
    if generation is None:
        return
    allowed = catalog.generations_for(order_type=order.order_type, origin=order.origin)
    if not allowed.filter(pk=generation.pk).exists():
        raise OrderError(
            _("La génération « %(generation)s » de cette opportunité n'est pas proposée pour ce type de commande "
              "et cette origine.")
            % {"generation": generation}
        )
    if solution is not None and not (solution.is_active and generation.is_active):
        raise OrderError(
            _("La solution « %(solution)s » de cette opportunité n'est plus proposée.") % {"solution": solution}
        )
    fields += ["generation", "solution"]
    if solution is None:
        # Only a generation: it is taken, the solution stays the partner's choice within it.
        if order.generation_id != generation.pk:
            order.generation = generation
            if order.solution_id:
                order.solution = None
                result.cleared.append(_("la solution choisie"))
            _remove_lines(order, keep=set(), result=result)
        return
    order.generation, order.solution = generation, solution
    keep = set(catalog.references_for(solution=solution).values_list("pk", flat=True))
    _remove_lines(order, keep=keep, result=result)


def _remove_lines(order: Order, *, keep: set[int], result: OpportunityLink) -> None:
    gone = list(order.lines.exclude(reference_id__in=keep).select_related("reference"))
    if not gone:
        return
    codes = ", ".join(line.reference.code for line in gone)
    order.lines.filter(pk__in=[line.pk for line in gone]).delete()
    result.cleared.append(
        _("les références %(codes)s, que la solution de l'opportunité ne propose pas") % {"codes": codes}
    )


def _fill(order: Order, name: str, value: str, fields: list[str], labels: list[str]) -> None:
    if value and not getattr(order, name):
        setattr(order, name, value)
        fields.append(name)
        labels.append(str(order._meta.get_field(name).verbose_name))


def _prefill_new_site(order: Order, opportunity: Opportunity, fields: list[str], result: OpportunityLink) -> None:
    untouched = not any(getattr(order, name) for name in NEW_SITE_FROM_PROSPECT)
    for order_field, prospect_field in NEW_SITE_FROM_PROSPECT.items():
        _fill(order, order_field, getattr(opportunity, prospect_field), fields, result.prefilled_site)
    # The country has a default ("FR"): the prospect's replaces it only while no site data was typed.
    if opportunity.country and (not order.new_site_country or untouched) and (
        order.new_site_country != opportunity.country
    ):
        order.new_site_country = opportunity.country
        fields.append("new_site_country")
        result.prefilled_site.append(str(order._meta.get_field("new_site_country").verbose_name))
    if not order.customer_name and order.new_site_company_name:
        order.customer_name = order.new_site_company_name
        fields.append("customer_name")


def _prefill_contact(order: Order, opportunity: Opportunity, fields: list[str], result: OpportunityLink) -> None:
    civility, first_name, last_name = opportunity.contact_name_parts()
    # The name is one thing: split it in only when the order has no contact name at all.
    if not (order.contact_first_name or order.contact_last_name):
        if civility in Civility.values:
            _fill(order, "contact_civility", civility, fields, result.prefilled_contact)
        _fill(order, "contact_first_name", first_name, fields, result.prefilled_contact)
        _fill(order, "contact_last_name", last_name, fields, result.prefilled_contact)
    for order_field, prospect_field in CONTACT_FROM_PROSPECT.items():
        _fill(order, order_field, getattr(opportunity, prospect_field), fields, result.prefilled_contact)
