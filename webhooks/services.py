"""Webhooks: recording an event for a partner's endpoints, signing and sending it (Standard Webhooks).

The outbox pattern the emails use (``mybusiness.emails``):

* ``webhook_event_record`` writes one ``WebhookMessage`` per endpoint of the partner that picked the event,
  in the caller's transaction: the change and its messages commit together or not at all. After the commit
  it queues ``webhooks.tasks.deliver_webhook``.
* ``webhook_deliver`` claims the pending row (a conditional UPDATE: its row lock is the lease), POSTs it,
  records the attempt and marks it delivered, in one transaction. A killed worker leaves it pending; the
  sweep (every minute) queues it again, as it does what a broker that was down never received.
* A failed try waits ``WEBHOOK_RETRY_SECONDS``, doubled at each failure (at most an hour), for 24 hours
  (``WEBHOOK_RETRY_HOURS``); then the message is given up, the endpoint disabled and its company's admins
  are emailed.
* An address that resolves to a private network is refused at each try (SSRF); redirects are not followed.
* Each message is signed (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``): HMAC-SHA256 of
  ``id.timestamp.body`` with the endpoint's secret; during a rotation's overlap, with the old one too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mybusiness.celery import queue_or_leave_to_sweep
from mybusiness.emails import email_record
from mybusiness.models import User
from mybusiness.roles import Role
from webhooks.models import TEST_EVENT, DeliveryStatus, WebhookAttempt, WebhookEndpoint, WebhookEvent, WebhookMessage

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
TIMEOUT_SECONDS = 10
MAX_RETRY_DELAY_SECONDS = 3600
SWEEP_BATCH = 500
ROTATION_OVERLAP = timedelta(hours=24)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` with a ``whsec_`` secret (Standard Webhooks)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(endpoint: WebhookEndpoint, msg_id: str, timestamp: int, body: bytes) -> str:
    """The new secret's signature, and the old one's while the rotation's overlap lasts."""
    signatures = [sign(endpoint.secret, msg_id, timestamp, body)]
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > timezone.now():
        signatures.append(sign(endpoint.previous_secret, msg_id, timestamp, body))
    return " ".join(signatures)


# ----------------------------------------------------------------------------------------------- recording

def webhook_event_record(*, partner_id: int, event_type: str, data: dict) -> list[WebhookMessage]:
    """One message per active endpoint of the partner that picked ``event_type``, in the caller's
    transaction; each is queued once that transaction commits."""
    endpoints = [
        endpoint for endpoint in WebhookEndpoint.objects.filter(partner_id=partner_id, is_active=True)
        if event_type in endpoint.events
    ]
    return [_record(endpoint=endpoint, event_type=event_type, data=data) for endpoint in endpoints]


def _record(*, endpoint: WebhookEndpoint, event_type: str, data: dict) -> WebhookMessage:
    now = timezone.now()
    payload = {"type": event_type, "timestamp": now.isoformat(), "data": data}
    message = WebhookMessage.objects.create(
        endpoint=endpoint, msg_id=f"msg_{uuid.uuid4().hex}", event_type=event_type,
        payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
        next_attempt_at=now + timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS),
    )
    transaction.on_commit(lambda: webhook_queue_delivery(message_id=message.pk))
    return message


def webhook_queue_delivery(*, message_id: int) -> bool:
    from webhooks.tasks import deliver_webhook

    return queue_or_leave_to_sweep(deliver_webhook, message_id, what=f"Webhook message {message_id}")


ORDER_EVENTS = {
    "submitted": WebhookEvent.ORDER_SUBMITTED, "returned": WebhookEvent.ORDER_RETURNED,
    "validated": WebhookEvent.ORDER_VALIDATED, "rejected": WebhookEvent.ORDER_REJECTED,
    "activated": WebhookEvent.ORDER_ACTIVATED, "completed": WebhookEvent.ORDER_COMPLETED,
}


def order_status_changed(*, order, from_status: str) -> None:
    """Called by every order transition (``orders.services.lifecycle``), in its transaction."""
    event = ORDER_EVENTS.get(order.status)
    if event is None:
        return
    webhook_event_record(partner_id=order.partner_id, event_type=event, data={
        "order": str(order.public_id), "number": order.number, "status": order.status,
        "previous_status": from_status, "url": f"{settings.SITE_URL}/api/v1/orders/{order.public_id}",
    })


# ------------------------------------------------------------------------------------------------ delivery

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of the endpoint, not an address to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _internal_address_refusal(url: str) -> str:
    """A partner's address must not reach the vendor's own network (SSRF): every address its name resolves
    to must be a public one; this machine's (loopback) only where ``WEBHOOKS_ALLOW_HTTP_LOCALHOST`` (demo,
    tests). A name that does not resolve is left to the request, which fails and is retried."""
    parts = urlsplit(url)
    try:
        resolved = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (OSError, UnicodeError, ValueError):
        return ""
    for address in resolved:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_global or (ip.is_loopback and settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST):
            continue
        return _("Adresse refusée : %(host)s mène à un réseau privé (%(ip)s).") % {"host": parts.hostname, "ip": ip}
    return ""


def _post(endpoint: WebhookEndpoint, message: WebhookMessage) -> tuple[int | None, str, str]:
    """(status code or None, response excerpt, error) of one POST."""
    if not endpoint.url.startswith(("https://", "http://")):  # the form takes no other; a row edited by hand
        return None, "", _("Adresse refusée : seules https:// et http:// sont envoyées.")
    refusal = _internal_address_refusal(endpoint.url)
    if refusal:
        return None, "", refusal
    body = json.dumps(message.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={  # noqa: S310 — checked
        "Content-Type": "application/json",
        "User-Agent": "myBusiness-Webhooks/1",
        "webhook-id": message.msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(endpoint, message.msg_id, timestamp, body),
    })
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(1000).decode(errors="replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(1000).decode(errors="replace"), ""
    except Exception as error:  # refused, timed out, bad certificate, unknown host…
        return None, "", f"{type(error).__name__}: {error}"[:500]


def webhook_deliver(*, message_id: int) -> bool:
    """Send one pending message; True if the endpoint took it (2xx). Running it twice sends once."""
    with transaction.atomic():
        claimed = WebhookMessage.objects.filter(
            pk=message_id, status=DeliveryStatus.PENDING, endpoint__is_active=True
        ).update(next_attempt_at=timezone.now() + timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS))
        if claimed != 1:
            return False
        message = WebhookMessage.objects.select_related("endpoint").get(pk=message_id)
        started = time.monotonic()
        status_code, excerpt, error = _post(message.endpoint, message)
        now = timezone.now()
        WebhookAttempt.objects.create(
            message=message, at=now, status_code=status_code, error=error, response_excerpt=excerpt,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        message.attempts += 1
        delivered = status_code is not None and 200 <= status_code < 300
        if delivered:
            message.status, message.delivered_at, message.next_attempt_at = DeliveryStatus.DELIVERED, now, None
        else:
            delay = min(settings.WEBHOOK_RETRY_SECONDS * 2 ** (message.attempts - 1), MAX_RETRY_DELAY_SECONDS)
            if now + timedelta(seconds=delay) > message.created_at + timedelta(hours=settings.WEBHOOK_RETRY_HOURS):
                message.status, message.next_attempt_at = DeliveryStatus.FAILED, None
                _disable(message.endpoint, message)
            else:
                message.next_attempt_at = now + timedelta(seconds=delay)
        message.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return delivered


def _disable(endpoint: WebhookEndpoint, message: WebhookMessage) -> None:
    """After 24 hours of failures: the endpoint stops, and its company's admins are told by email."""
    hours = settings.WEBHOOK_RETRY_HOURS
    endpoint.is_active, endpoint.disabled_at = False, timezone.now()
    endpoint.disabled_reason = _("Aucune réponse réussie pendant %(hours)d heures (message %(id)s).") % {
        "hours": hours, "id": message.msg_id}
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    admins = User.objects.filter(partner_id=endpoint.partner_id, role=Role.PARTNER_ADMIN, is_active=True)
    for admin in admins:
        email_record(template="webhooks/emails/endpoint_disabled", to=[admin.email], language=admin.language,
                     context={"endpoint": endpoint, "hours": hours, "admin": admin})
    logger.warning("Webhook endpoint %s disabled after %d hours of failures", endpoint.pk, hours)


def webhook_sweep_due() -> int:
    """Queue again every pending message that is due: a retry whose delay is over, or one a lost queue
    message or a killed worker left behind."""
    now = timezone.now()
    due = WebhookMessage.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now,
                                        endpoint__is_active=True).values_list("pk", flat=True)
    queued = 0
    for message_id in list(due[:SWEEP_BATCH]):
        if WebhookMessage.objects.filter(pk=message_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now).update(
            next_attempt_at=now + timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
        ) and webhook_queue_delivery(message_id=message_id):
            queued += 1
    return queued


# ------------------------------------------------------------------------------------------------ endpoints

def _check_admin(admin, endpoint: WebhookEndpoint | None = None) -> None:
    if not admin.is_partner_admin or (endpoint is not None and endpoint.partner_id != admin.partner_id):
        raise ValidationError(_("Seul un administrateur de la société gère ses webhooks."))


def _clean_events(events) -> list[str]:
    chosen = [event for event in WebhookEvent.values if event in set(events or [])]
    if not chosen:
        raise ValidationError({"events": _("Choisissez au moins un événement.")})
    return chosen


def endpoint_create(*, admin, url: str, description: str, events, creation_key: uuid.UUID | None = None
                    ) -> WebhookEndpoint:
    _check_admin(admin)
    events = _clean_events(events)
    if creation_key is not None:
        existing = WebhookEndpoint.objects.filter(creation_key=creation_key, partner_id=admin.partner_id).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return WebhookEndpoint.objects.create(
                partner_id=admin.partner_id, url=url, description=description, events=events,
                secret=new_secret(), created_by=admin, creation_key=creation_key,
            )
    except IntegrityError:  # the same form twice at once
        return WebhookEndpoint.objects.get(creation_key=creation_key, partner_id=admin.partner_id)


def endpoint_update(*, admin, endpoint: WebhookEndpoint, url: str, description: str, events) -> WebhookEndpoint:
    _check_admin(admin, endpoint)
    endpoint.url, endpoint.description, endpoint.events = url, description, _clean_events(events)
    endpoint.save(update_fields=["url", "description", "events"])
    return endpoint


def endpoint_delete(*, admin, endpoint: WebhookEndpoint) -> None:
    _check_admin(admin, endpoint)
    endpoint.delete()


def endpoint_rotate_secret(*, admin, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret; the old one still signs beside it for 24 hours, time to change the receiver."""
    _check_admin(admin, endpoint)
    endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, timezone.now() + ROTATION_OVERLAP
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint


def endpoint_reactivate(*, admin, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Back on; the messages given up stay given up (the API tells the current state of each order)."""
    _check_admin(admin, endpoint)
    endpoint.is_active, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    return endpoint


@transaction.atomic
def endpoint_test(*, admin, endpoint: WebhookEndpoint) -> WebhookMessage:
    """« Tester »: a ``webhook.test`` message to this endpoint only, through the same outbox and delivery."""
    _check_admin(admin, endpoint)
    if not endpoint.is_active:
        raise ValidationError(_("Réactivez d'abord ce point de réception."))
    return _record(endpoint=endpoint, event_type=TEST_EVENT, data={
        "endpoint": str(endpoint.public_id), "message": _("Ceci est un message de test de myBusiness.")})
