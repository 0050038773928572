"""The one recipe every status change follows (design §7, house style).

``transition`` checks the current status, runs in a transaction with the order's
row locked, saves the new status, writes the ``OrderEvent`` and records the emails
(the outbox of ``mybusiness.emails``) in the same transaction, and leaves tasks to
``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orders.errors import InvalidTransition
from orders.models import Order, OrderEvent, OrderStatus
from webhooks.services import order_status_changed


def lock_order(order_id: int) -> Order:
    """The order's row, locked until the end of the current transaction."""
    return Order.objects.select_for_update().get(pk=order_id)


def source_label(label) -> str:
    """A choice's label in the source language (French), recorded as an event's value and translated
    when shown, like the message."""
    with translation.override(None):
        return str(label)


def record_event(
    *, order: Order, actor, message: str = "", message_params: dict | None = None, from_status: str = "",
    to_status: str = "", answers: dict | None = None,
) -> OrderEvent:
    """One timeline entry. A sentence of the portal is given as its French source (``gettext_noop``)
    and its values, translated when shown (``OrderEvent.text``); a text someone typed, as it is."""
    return OrderEvent.objects.create(
        order=order, actor=actor, message=message, message_params=message_params or {}, from_status=from_status,
        to_status=to_status, answers=answers or {},
    )


def transition(
    *,
    order: Order,
    actor,
    allowed_from: Iterable[str],
    to: str,
    message: str = "",
    message_params: dict | None = None,
    before_save: Callable[[Order], list[str]] | None = None,
    notify: Callable[[Order], None] | None = None,
    after_commit: Callable[[Order], None] | None = None,
    event_answers: Callable[[Order], dict] | None = None,
) -> Order:
    """Move ``order`` to ``to`` if it is in one of ``allowed_from``; return the locked, saved row.

    ``before_save`` may check more rules on the locked row (raising an ``OrderError``)
    and set other fields, returning their names; ``notify`` records the emails that announce the change
    (``orders.notifications``), in its transaction; ``after_commit`` queues tasks; ``event_answers`` gives
    the answers the event keeps (a return for correction keeps them, to show what changed since).
    """
    allowed = set(allowed_from)
    with transaction.atomic():
        locked = lock_order(order.pk)
        if locked.status not in allowed:
            raise InvalidTransition(
                _("Cette action n'est pas possible : la commande est au statut « %(status)s ».")
                % {"status": locked.get_status_display()}
            )
        extra_fields = before_save(locked) if before_save else []
        from_status = locked.status
        locked.status = to
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at", *extra_fields])
        record_event(
            order=locked, actor=actor, from_status=from_status, to_status=to, message=message,
            message_params=message_params, answers=event_answers(locked) if event_answers else None,
        )
        # The partner's systems are told in the same transaction (webhooks' outbox).
        order_status_changed(order=locked, from_status=from_status)
        if notify is not None:
            notify(locked)
        if after_commit is not None:
            transaction.on_commit(lambda: after_commit(locked))
    # The caller's object follows the database.
    order.status = locked.status
    order.updated_at = locked.updated_at
    for field in extra_fields:
        setattr(order, field, getattr(locked, field))
    return locked


__all__ = ["OrderStatus", "lock_order", "record_event", "transition"]
