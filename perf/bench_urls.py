"""The benchmark's URL configuration: the portal's, plus B4's floor, an untuned admin of the orders.

The floor is what Django's admin gives without the project's tuning: the same columns and the same
status filter, but the default paginator (an exact COUNT over every matching row, and another over the
whole table for "N total"), facet counts, and no ``list_select_related``.
"""

from django.contrib import admin
from django.urls import path

from mybusiness.urls import urlpatterns as portal_urlpatterns
from orders.admin import OrderAdmin
from orders.models import Order

untuned_admin = admin.AdminSite(name="untuned")


@admin.register(Order, site=untuned_admin)
class UntunedOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "partner", "customer_name", "site", "order_type", "generation",
                    "submitted_at", "created_at"]
    list_filter = ["status"]
    ordering = OrderAdmin.ordering


urlpatterns = [path("untuned-admin/", untuned_admin.urls), *portal_urlpatterns]
