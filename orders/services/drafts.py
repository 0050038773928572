"""Creating and editing drafts. Every step saves to the database at once (design §5)."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import OrderType, Origin
from orders.errors import OrderError
from orders.models import EDITABLE_STATUSES, Order, OrderLine, OrderStatus
from orders.odata import odata_problems_for
from orders.services.lifecycle import lock_order, record_event

# The Order fields of the new-site data (step 3), cleared together.
NEW_SITE_FIELDS = [
    "new_site_company_name",
    "new_site_siret",
    "new_site_vat_number",
    "new_site_naf_code",
    "new_site_address",
    "new_site_postal_code",
    "new_site_city",
    "new_site_phone",
    "new_site_email",
    "new_site_hosting",
]


def order_draft_create(*, user, creation_key: uuid.UUID | None = None) -> Order:
    """A new empty draft for the user's partner; the same ``creation_key`` gives back the same draft."""
    if not user.is_partner:
        raise OrderError(_("Seuls les utilisateurs partenaires créent des commandes."))
    if creation_key is not None:
        existing = Order.objects.filter(creation_key=creation_key, partner_id=user.partner_id).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            order = Order.objects.create(partner_id=user.partner_id, created_by=user, creation_key=creation_key)
            record_event(order=order, actor=user, to_status=OrderStatus.DRAFT, message=gettext_noop("Brouillon créé."))
    except IntegrityError:
        # The same key submitted twice at once: the other request created it.
        return Order.objects.get(creation_key=creation_key, partner_id=user.partner_id)
    return order


def order_draft_delete(*, order: Order, user) -> None:
    """Delete a draft. Anything submitted once (it has a number) is never deleted."""
    with transaction.atomic():
        locked = lock_order(order.pk)
        if locked.status != OrderStatus.DRAFT or locked.number:
            raise OrderError(_("Seul un brouillon jamais soumis peut être supprimé."))
        if locked.partner_id != user.partner_id:
            raise OrderError(_("Cette commande n'appartient pas à votre société."))
        locked.delete()


def _editable(order: Order) -> Order:
    """The order's locked row, if its content may still change."""
    locked = lock_order(order.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise OrderError(
            _("La commande est au statut « %(status)s » : elle ne peut plus être modifiée.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _mirror(order: Order, saved: Order) -> None:
    """``order.refresh_from_db()`` from the row just saved, without reading it again: every column
    copied, a relation whose key changed forgotten."""
    for field in Order._meta.concrete_fields:
        value = getattr(saved, field.attname)
        if field.is_relation and field.is_cached(order) and getattr(order, field.attname) != value:
            field.delete_cached_value(order)
        setattr(order, field.attname, value)


def _save(order: Order, fields: list[str]) -> None:
    order.updated_at = timezone.now()
    order.save(update_fields=[*dict.fromkeys([*fields, "updated_at"])])


def order_set_type_origin(*, order: Order, user, order_type: OrderType, origin: Origin) -> list[str]:
    """Step 1. Clears what the new answers make wrong and says what it cleared."""
    from catalog import selectors as catalog

    if not catalog.origins_for(order_type=order_type).filter(pk=origin.pk).exists():
        raise OrderError(_("L'origine « %(origin)s » n'est pas permise pour ce type de commande.") % {"origin": origin})
    cleared: list[str] = []
    with transaction.atomic():
        locked = _editable(order)
        fields = ["order_type", "origin"]
        old_mode = locked.origin.site_mode if locked.origin_id else None
        locked.order_type, locked.origin = order_type, origin
        if locked.generation_id and not catalog.generations_for(order_type=order_type, origin=origin).filter(
            pk=locked.generation_id
        ).exists():
            cleared += _clear_product(locked, fields)
        if old_mode is not None and old_mode != origin.site_mode:
            cleared += _clear_site(locked, fields)
        if locked.opportunity_id and origin.opportunity_rule == "none":
            locked.opportunity = None
            fields.append("opportunity")
            cleared.append(_("l'opportunité liée"))
        _save(locked, fields)
    order.refresh_from_db()
    return cleared


def _clear_product(order: Order, fields: list[str]) -> list[str]:
    cleared = []
    if order.generation_id:
        cleared.append(_("la génération et la solution"))
    order.generation = None
    order.solution = None
    fields += ["generation", "solution"]
    if order.lines.exists():
        order.lines.all().delete()
        cleared.append(_("les références commandées"))
    return cleared


def _clear_site(order: Order, fields: list[str]) -> list[str]:
    had_site = bool(order.site_id or order.new_site_company_name or order.customer_name)
    order.site = None
    for name in NEW_SITE_FIELDS:
        setattr(order, name, "")
    order.customer_name = ""
    fields += ["site", "customer_name", *NEW_SITE_FIELDS]
    return [_("les informations du site")] if had_site else []


def order_set_product(
    *, order: Order, user, generation, solution, quantities: dict[int, int]
) -> list[str]:
    """Step 2: generation, solution and the lines (reference id → quantity; 0 removes a line)."""
    from catalog import selectors as catalog

    with transaction.atomic():
        locked = _editable(order)
        if locked.order_type_id is None or locked.origin_id is None:
            raise OrderError(_("Choisissez d'abord le type et l'origine de la commande."))
        if not catalog.generations_for(order_type=locked.order_type, origin=locked.origin).filter(
            pk=generation.pk
        ).exists():
            raise OrderError(_("La génération « %(g)s » n'est pas permise pour cette commande.") % {"g": generation})
        if solution.generation_id != generation.pk or not solution.is_active:
            raise OrderError(_("La solution « %(s)s » n'appartient pas à cette génération.") % {"s": solution})
        if locked.opportunity_id and locked.opportunity.solution_id and locked.opportunity.solution_id != solution.pk:
            raise OrderError(_("La génération et la solution viennent de l'opportunité liée et ne se changent pas."))
        allowed = {ref.pk: ref for ref in catalog.references_for(solution=solution)}
        wanted = {ref_id: qty for ref_id, qty in quantities.items() if qty}
        unknown = set(wanted) - set(allowed)
        if unknown:
            raise OrderError(_("Une référence choisie n'est pas proposée pour cette solution."))
        if not wanted:
            raise OrderError(_("Indiquez une quantité pour au moins une référence."))
        if any(qty < 1 for qty in wanted.values()):
            raise OrderError(_("Les quantités sont des nombres entiers positifs."))
        problems = odata_problems_for(
            order=locked, solution=solution, lines=[(allowed[ref_id], qty) for ref_id, qty in wanted.items()]
        )
        if problems:
            raise OrderError(problems)
        cleared = []
        if locked.solution_id and locked.solution_id != solution.pk:
            cleared.append(_("les références de la solution précédente"))
        locked.generation, locked.solution = generation, solution
        locked.lines.exclude(reference_id__in=wanted).delete()
        existing = {line.reference_id: line for line in locked.lines.all()}
        for ref_id, qty in wanted.items():
            line = existing.get(ref_id)
            if line is None:
                OrderLine.objects.create(order=locked, reference=allowed[ref_id], quantity=qty)
            elif line.quantity != qty:
                line.quantity = qty
                line.save(update_fields=["quantity"])
        _save(locked, ["generation", "solution"])
    order.refresh_from_db()
    return cleared


def order_update_fields(*, order: Order, user, values: dict) -> Order:
    """Steps 3–6: write plain fields of an editable order (the forms have validated them)."""
    with transaction.atomic():
        locked = _editable(order)
        for name, value in values.items():
            setattr(locked, name, value)
        _save(locked, list(values))
    _mirror(order, locked)
    return locked
