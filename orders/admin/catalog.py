"""The catalog in the admin: order types, origins, generations, solutions and product references."""

from __future__ import annotations

from django.contrib import admin

from mybusiness.admin import HostileInputAdminMixin
from orders.models import (
    Generation,
    OrderType,
    Origin,
    ProductReference,
    Solution,
)


@admin.register(Origin)
class OriginAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "site_mode", "opportunity_rule", "is_active", "position"]
    list_editable = ["position"]


@admin.register(OrderType)
class OrderTypeAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "is_odata_eligible", "is_active", "position"]
    filter_horizontal = ["origins"]


class SolutionInline(admin.TabularInline):
    model = Solution
    extra = 0


@admin.register(Generation)
class GenerationAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "site_modes", "is_active", "position"]
    filter_horizontal = ["order_types"]
    inlines = [SolutionInline]


@admin.register(Solution)
class SolutionAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "generation", "odata_targets", "is_active"]
    list_filter = ["generation"]
    list_select_related = ["generation"]


@admin.register(ProductReference)
class ProductReferenceAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "kind", "odata_target", "odata_quota", "needs_cloud_activation", "is_active"]
    list_filter = ["kind", "needs_cloud_activation", "is_active", "solutions__generation"]
    search_fields = ["code", "label"]
    filter_horizontal = ["solutions"]
