"""The portal's URLs plus the benchmark's two floors.

* ``/perf/bare/``: a view that does nothing, the floor of a request's cost (B6);
* ``/perf/untuned-admin/``: the orders in Django's admin without the project's tuning (B4): the same
  columns and status filter, but the default paginator (an exact COUNT of every matching row, and
  another of the whole table for "N total") and no ``list_select_related``.
"""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from mybusiness.urls import handler400, handler403, handler404, handler500
from mybusiness.urls import urlpatterns as portal_urlpatterns
from orders.admin import OrderAdmin
from orders.models import Order
from perf import BARE_PATH

untuned_admin = admin.AdminSite(name="untuned")


@admin.register(Order, site=untuned_admin)
class UntunedOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "partner", "customer_name", "site", "order_type", "generation",
                    "submitted_at", "created_at"]
    list_filter = ["status"]
    ordering = OrderAdmin.ordering


def bare(request):
    """No database, no template, no session access: what Django and the middleware cost alone."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare, name="perf_bare"),
    path("perf/untuned-admin/", untuned_admin.urls),
    *portal_urlpatterns,
]

__all__ = ["BARE_PATH", "handler400", "handler403", "handler404", "handler500", "urlpatterns"]
