from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from mybusiness.tenancy import partner_required
from orders import selectors
from orders.models import OrderStatus


@require_GET
def home(request):
    """Partners see their counters; vendor staff work in the admin; anonymous users log in."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if not user.is_partner:
        return redirect("admin:index")
    return _partner_home(request)


@partner_required
def _partner_home(request):
    counts = selectors.order_status_counts(user=request.user)
    counters = [
        (OrderStatus.DRAFT, counts[OrderStatus.DRAFT], "fa-pen-to-square", "secondary"),
        (OrderStatus.SUBMITTED, counts[OrderStatus.SUBMITTED], "fa-paper-plane", "primary"),
        (OrderStatus.RETURNED, counts[OrderStatus.RETURNED], "fa-rotate-left", "warning"),
    ]
    return render(request, "orders/home.html", {"counters": counters})


@partner_required
def order_list(request):
    # Filled by the wizard issue ([2/8]): the partner's orders, filtered by status.
    return render(request, "orders/order_list.html")


@partner_required
def order_create(request):
    # Filled by the wizard issue ([2/8]): the first step of the new-order wizard.
    return render(request, "orders/order_list.html")
