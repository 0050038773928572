from django.contrib import admin

from mybusiness.admin import HostileInputAdminMixin
from webhooks.models import WebhookEndpoint, WebhookMessage


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    """For support: which partner is told of what, and whether it is still active (never the secret)."""

    list_display = ["url", "partner", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["partner"]
    search_fields = ["url", "partner__name", "partner__code"]
    fields = ["partner", "url", "description", "events", "is_active", "disabled_at", "disabled_reason", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookMessage)
class WebhookMessageAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["msg_id", "event_type", "endpoint", "status", "attempts", "created_at"]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint"]
    search_fields = ["msg_id"]
    fields = ["endpoint", "msg_id", "event_type", "payload", "status", "attempts", "created_at",
              "next_attempt_at", "delivered_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
