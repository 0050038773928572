from django.contrib import admin

from orders.models import Generation, Order, OrderEvent, OrderLine, OrderType, Origin, ProductReference, Solution


@admin.register(Origin)
class OriginAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "site_mode", "opportunity_rule", "is_active", "position"]
    list_editable = ["position"]


@admin.register(OrderType)
class OrderTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "is_odata_eligible", "is_active", "position"]
    filter_horizontal = ["origins"]


class SolutionInline(admin.TabularInline):
    model = Solution
    extra = 0


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "site_modes", "is_active", "position"]
    filter_horizontal = ["order_types"]
    inlines = [SolutionInline]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "generation", "odata_targets", "is_active"]
    list_filter = ["generation"]
    list_select_related = ["generation"]


@admin.register(ProductReference)
class ProductReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "kind", "odata_target", "odata_quota", "needs_cloud_activation", "is_active"]
    list_filter = ["kind", "needs_cloud_activation", "is_active", "solutions__generation"]
    search_fields = ["code", "label"]
    filter_horizontal = ["solutions"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = ["reference", "quantity"]

    def has_add_permission(self, request, obj=None):
        return False


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "from_status", "to_status", "message"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Read-only order review; the review actions come with the back-office issue."""

    list_display = ["number", "partner", "customer_name", "order_type", "generation", "status", "created_at"]
    list_filter = ["status", "order_type", "generation"]
    list_select_related = ["partner", "order_type", "generation"]
    search_fields = ["number", "customer_name", "site__number", "partner__name"]
    show_full_result_count = False
    inlines = [OrderLineInline, OrderEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Order._meta.fields]
