"""Who handles an order (sales administration) or an activation (cloud team): one owner at a time.

Taking is optimistic: the caller says whom they saw as the owner (``seen``, ``None`` for nobody), and one
conditional UPDATE (… WHERE assigned_to IS <seen>) assigns the row only if that is still true. Of two
people taking the same row at once, one UPDATE changes it and the other finds it changed: that one is
told who has it, and nobody's choice is silently overwritten. Taking over someone else's row is the same
UPDATE with that someone as ``seen`` (the admin asks for a confirmation first). Each change is written
in the order's timeline in the UPDATE's transaction.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from orders.errors import OrderError
from orders.models import Activation, ActivationStatus, Order, OrderStatus
from orders.services.activation import WORK_PERMISSION
from orders.services.lifecycle import record_event
from orders.services.review import REVIEW_PERMISSION

# The statuses in which a row waits for someone: only those can be taken.
TAKEABLE = {
    Order: {OrderStatus.SUBMITTED},
    Activation: {ActivationStatus.PENDING, ActivationStatus.NOTIFIED, ActivationStatus.BLOCKED},
}
PERMISSION = {Order: REVIEW_PERMISSION, Activation: WORK_PERMISSION}
# The timeline's sentences (French sources, translated when shown).
MESSAGES = {
    Order: {
        "take": gettext_noop("Commande prise en charge par %(name)s."),
        "take_over": gettext_noop("Commande reprise par %(name)s (elle était prise en charge par %(previous)s)."),
        "release": gettext_noop("Commande libérée par %(name)s."),
    },
    Activation: {
        "take": gettext_noop("Activation prise en charge par %(name)s."),
        "take_over": gettext_noop(
            "Activation reprise par %(name)s (elle était prise en charge par %(previous)s)."
        ),
        "release": gettext_noop("Activation libérée par %(name)s."),
    },
}


def can_take(user, model: type[models.Model]) -> bool:
    return user is not None and user.is_active and user.is_staff and user.has_perm(PERMISSION[model])


def owner_name(user) -> str:
    return str(user) if user is not None else ""


def _order_of(row) -> Order:
    return row if isinstance(row, Order) else row.order


def _taken_by_someone_else(row, model) -> OrderError:
    current = model.objects.select_related("assigned_to").filter(pk=row.pk).first()
    if current is None or current.status not in TAKEABLE[model]:
        return OrderError(_("%(what)s n'est plus en attente de traitement.") % {"what": _what(row, model)})
    if current.assigned_to_id is None:
        return OrderError(
            _("%(what)s a été libérée entre-temps : elle n'est plus attribuée.") % {"what": _what(row, model)}
        )
    return OrderError(
        _("%(what)s est déjà prise en charge par %(name)s.")
        % {"what": _what(row, model), "name": owner_name(current.assigned_to)}
    )


def _what(row, model) -> str:
    number = _order_of(row).display_number
    if model is Order:
        return _("La commande %(number)s") % {"number": number}
    return _("L'activation de la commande %(number)s") % {"number": number}


def take(*, row: Order | Activation, user, seen_owner_id: int | None) -> Order | Activation:
    """Assign ``row`` to ``user`` if its owner is still ``seen_owner_id`` (``None``: nobody).

    ``seen_owner_id`` being someone else is a take-over. Raises ``OrderError`` naming the owner when
    someone else took it first; taking a row one already owns changes nothing.
    """
    model = type(row)
    if not can_take(user, model):
        raise PermissionDenied(
            _("Seule l'administration des ventes peut prendre en charge une commande.") if model is Order
            else _("Seule l'équipe cloud peut prendre en charge une activation.")
        )
    if seen_owner_id == user.pk:
        return row
    now = timezone.now()
    with transaction.atomic():
        changed = model.objects.filter(
            models.Q(assigned_to__isnull=True) if seen_owner_id is None else models.Q(assigned_to=seen_owner_id),
            pk=row.pk,
            status__in=TAKEABLE[model],
        ).update(assigned_to=user, assigned_at=now)
        if not changed:
            raise _taken_by_someone_else(row, model)
        if seen_owner_id is None:
            record_event(order=_order_of(row), actor=user, message=MESSAGES[model]["take"],
                         message_params={"name": owner_name(user)})
        else:
            previous = get_user_model().objects.filter(pk=seen_owner_id).first()
            record_event(order=_order_of(row), actor=user, message=MESSAGES[model]["take_over"],
                         message_params={"name": owner_name(user), "previous": owner_name(previous)})
    row.assigned_to, row.assigned_at = user, now
    return row


def release(*, row: Order | Activation, user) -> Order | Activation:
    """Give ``row`` back to the queue: only its owner may."""
    model = type(row)
    with transaction.atomic():
        changed = model.objects.filter(pk=row.pk, assigned_to=user).update(assigned_to=None, assigned_at=None)
        if not changed:
            current = model.objects.select_related("assigned_to").filter(pk=row.pk).first()
            if current is not None and current.assigned_to_id is not None:
                raise OrderError(
                    _("%(what)s est prise en charge par %(name)s : seule cette personne peut la libérer.")
                    % {"what": _what(row, model), "name": owner_name(current.assigned_to)}
                )
            raise OrderError(_("%(what)s n'est plus attribuée.") % {"what": _what(row, model)})
        record_event(order=_order_of(row), actor=user, message=MESSAGES[model]["release"],
                     message_params={"name": owner_name(user)})
    row.assigned_to, row.assigned_at = None, None
    return row
