"""Reads of webhooks, scoped to the partner admin who asks."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from webhooks.models import WebhookEndpoint, WebhookMessage


def endpoint_list(*, admin) -> QuerySet[WebhookEndpoint]:
    if not admin.is_partner_admin:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(partner_id=admin.partner_id)


def endpoint_get(*, admin, public_id) -> WebhookEndpoint:
    try:
        return endpoint_list(admin=admin).get(public_id=public_id)
    except (WebhookEndpoint.DoesNotExist, ValueError):
        raise Http404 from None


def endpoint_log(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookMessage]:
    """The endpoint's messages, newest first, with their attempts (the delivery log)."""
    return endpoint.messages.prefetch_related("attempt_log")
