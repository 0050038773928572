"""Messages on an order between the partner and sales administration, and ADV's internal notes."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from orders import notifications
from orders.errors import OrderError
from orders.models import Order, OrderComment, OrderStatus

COMMENT_MAX_LENGTH = 5000


def order_comment_add(
    *, order: Order, author, body: str, internal: bool = False, submission_key: uuid.UUID | None = None
) -> OrderComment:
    """Add a message (or, for sales administration, an internal note) and email the other side.

    A partner writes only on their own partner's orders and never an internal note;
    a sales admin writes on any submitted order. The same ``submission_key`` posted
    twice (a double click) gives the one message.
    """
    is_partner_author = getattr(author, "is_partner", False) and author.partner_id == order.partner_id
    if not is_partner_author and not (
        getattr(author, "is_sales_admin", False) and author.has_perm("orders.add_ordercomment")
    ):
        raise PermissionDenied(_("Vous ne pouvez pas écrire sur cette commande."))
    if internal and is_partner_author:
        raise PermissionDenied(_("Seule l'administration des ventes écrit des notes internes."))
    if order.status == OrderStatus.DRAFT:
        raise OrderError(_("Les messages s'échangent une fois la commande soumise."))
    body = (body or "").strip()
    if not body:
        raise OrderError(_("Écrivez un message."))
    if len(body) > COMMENT_MAX_LENGTH:
        raise OrderError(_("Le message est trop long (%(max)d caractères au plus).") % {"max": COMMENT_MAX_LENGTH})

    if submission_key is not None:
        existing = OrderComment.objects.filter(submission_key=submission_key, order=order).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            comment = OrderComment.objects.create(
                order=order, author=author, body=body, is_internal=internal, submission_key=submission_key
            )
            notifications.notify_comment(comment_id=comment.pk)
    except IntegrityError:
        # The same form posted twice at once: the other request created it.
        existing = OrderComment.objects.filter(submission_key=submission_key, order=order).first()
        if existing is None:
            raise
        return existing
    return comment
