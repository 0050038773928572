"""The catalog in the admin: order types, origins, generations, solutions and product references,
each with its French and English label."""

from __future__ import annotations

from django.contrib import admin

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from mybusiness.admin import HostileInputAdminMixin


@admin.register(Origin)
class OriginAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "label_en", "site_mode", "opportunity_rule", "is_active", "position"]
    list_editable = ["position"]


@admin.register(OrderType)
class OrderTypeAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "label_en", "is_odata_eligible", "is_active", "position"]
    filter_horizontal = ["origins"]


class SolutionInline(admin.TabularInline):
    model = Solution
    extra = 0


@admin.register(Generation)
class GenerationAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "label_en", "site_modes", "is_active", "position"]
    filter_horizontal = ["order_types"]
    inlines = [SolutionInline]


@admin.register(Solution)
class SolutionAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label", "label_en", "generation", "odata_targets", "is_active"]
    list_filter = ["generation"]
    list_select_related = ["generation"]


@admin.register(ProductReference)
class ProductReferenceAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = [
        "code", "label", "label_en", "kind", "odata_target", "odata_quota", "needs_cloud_activation", "is_active"
    ]
    list_filter = ["kind", "needs_cloud_activation", "is_active", "solutions__generation"]
    search_fields = ["code", "label", "label_en"]
    filter_horizontal = ["solutions"]
