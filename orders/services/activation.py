"""The cloud team's work on an activation: mark it done, or flag a blocking problem."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.models import ReferenceKind
from orders import notifications
from orders.errors import InvalidTransition, OrderError
from orders.models import SERVICE_ENVIRONMENTS, Activation, ActivationStatus, OrderStatus
from orders.services.lifecycle import lock_order, record_event, transition

WORK_PERMISSION = "orders.work_activation"


def require_cloud_team(user) -> None:
    if user is None or not user.is_active or not user.has_perm(WORK_PERMISSION):
        raise PermissionDenied(_("Seule l'équipe cloud traite les activations."))


def activation_needs_service_urls(activation: Activation) -> bool:
    """An OData connector is reached at a service address per environment, which the partner needs."""
    return activation.order.lines.filter(reference__kind=ReferenceKind.ODATA).exists()


def clean_service_urls(urls: dict[str, str] | None, *, required: bool) -> dict[str, str]:
    environments = dict(SERVICE_ENVIRONMENTS)
    cleaned: dict[str, str] = {}
    validate = URLValidator(schemes=["http", "https"])
    for key, value in (urls or {}).items():
        if key not in environments:
            raise OrderError(_("Environnement inconnu : %(name)s.") % {"name": key})
        value = (value or "").strip()
        if not value:
            continue
        try:
            validate(value)
        except ValidationError:
            raise OrderError(
                _("L'adresse de %(environment)s n'est pas une adresse web valide.")
                % {"environment": environments[key]}
            ) from None
        cleaned[key] = value
    if required and "production" not in cleaned:
        raise OrderError(_("Indiquez l'adresse du service OData en production."))
    return cleaned


def _lock_activation(activation_id: int, *, allowed: set[str]) -> Activation:
    locked = Activation.objects.select_for_update().get(pk=activation_id)
    if locked.status not in allowed:
        raise InvalidTransition(
            _("Cette action n'est pas possible : l'activation est au statut « %(status)s ».")
            % {"status": locked.get_status_display()}
        )
    return locked


def activation_mark_done(*, activation: Activation, user, service_urls: dict[str, str] | None = None) -> Activation:
    """Record the activation as done (with, for OData, its service addresses) and move the order to activated."""
    require_cloud_team(user)
    urls = clean_service_urls(service_urls, required=activation_needs_service_urls(activation))
    done: dict[str, Activation] = {}

    def mark(locked_order) -> list[str]:
        locked = _lock_activation(activation.pk, allowed={ActivationStatus.NOTIFIED, ActivationStatus.BLOCKED})
        locked.status = ActivationStatus.DONE
        locked.done_at = timezone.now()
        locked.done_by = user
        locked.service_urls = urls
        locked.save(update_fields=["status", "done_at", "done_by", "service_urls"])
        done["activation"] = locked
        return []

    transition(
        order=activation.order,
        actor=user,
        allowed_from=[OrderStatus.IN_ACTIVATION],
        to=OrderStatus.ACTIVATED,
        message=gettext_noop("Activation faite par l'équipe cloud."),
        before_save=mark,
        notify=lambda saved: notifications.notify_activated(order_id=saved.pk),
    )
    activation.refresh_from_db()
    return activation


def activation_block(*, activation: Activation, user, reason: str) -> Activation:
    """Flag a problem that stops the activation; sales administration is emailed the reason.

    The order stays in activation. Its timeline tells the partner there is a problem
    without the technical reason, which is for sales administration.
    """
    require_cloud_team(user)
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Décrivez le problème qui bloque l'activation."))
    reason = reason[:4000]
    with transaction.atomic():
        order = lock_order(activation.order_id)
        locked = _lock_activation(activation.pk, allowed={ActivationStatus.NOTIFIED})
        locked.status = ActivationStatus.BLOCKED
        locked.blocked_at = timezone.now()
        locked.blocked_reason = reason
        locked.save(update_fields=["status", "blocked_at", "blocked_reason"])
        record_event(
            order=order,
            actor=user,
            message=gettext_noop(
                "L'activation rencontre un problème : l'administration des ventes vous tiendra informé."
            ),
        )
        notifications.notify_activation_blocked(order_id=order.pk, reason=reason)
    activation.refresh_from_db()
    return activation
