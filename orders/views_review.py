"""Portal pages of the order's life after submission: messages and the partner's cancellation."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mybusiness.tenancy import get_visible_or_404, partner_required, portal_access_required
from orders.errors import OrderError
from orders.forms_review import CancelForm, CommentForm, form_error_sentences
from orders.models import Order, OrderStatus
from orders.services.cancellation import order_cancel
from orders.services.comments import order_comment_add


@require_POST
@portal_access_required
def order_comment_create(request, public_id):
    order = get_visible_or_404(Order.objects.all(), request.user, public_id=public_id)
    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            order_comment_add(
                order=order,
                author=request.user,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
                submission_key=form.cleaned_data["submission_key"],
            )
        except OrderError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Message envoyé."))
    elif order.status != OrderStatus.DRAFT:
        # Shown again with its error summary on the order page, what was typed kept.
        from orders.views import order_detail_response

        return order_detail_response(request, order.public_id, comment_form=form)
    else:
        messages.error(request, " ".join(form_error_sentences(form)))
    return redirect(reverse("order_detail", args=[order.public_id]) + "#messages")


@require_POST
@partner_required
def order_cancel_view(request, public_id):
    order = get_visible_or_404(Order.objects.all(), request.user, public_id=public_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form_error_sentences(form)))
        return redirect("order_detail", public_id=order.public_id)
    try:
        order_cancel(order=order, user=request.user, reason=form.cleaned_data["reason"])
    except OrderError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Commande %(number)s annulée.") % {"number": order.number})
    return redirect("order_detail", public_id=order.public_id)
