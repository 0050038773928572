from __future__ import annotations

import uuid
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import references
from mybusiness.jinja2_environment import Fragment
from mybusiness.paginators import window_page
from mybusiness.tenancy import get_visible_or_404, partner_required, portal_access_required
from orders import selectors
from orders.errors import OrderError
from orders.filters import OrderListFilter
from orders.listing import order_list_rows
from orders.models import Order, OrderStatus
from orders.services import drafts
from orders.services.submission import IncompleteOrder, order_submit
from orders.wizard import engine
from orders.wizard.summary import summary_items

ORDERS_PER_PAGE = 25


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
    return render(request, "orders/home.html", {"counters": counters, "creation_key": uuid.uuid4()})


@require_GET
@partner_required
def order_list(request):
    order_filter = OrderListFilter(request.GET, queryset=selectors.order_list(user=request.user))
    # The list shows no total: paging reads one row more than a page instead of counting.
    page = window_page(
        selectors.order_list_values(order_filter.qs), request.GET.get("page"), per_page=ORDERS_PER_PAGE
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orders/order_list.html",
        {
            "filter": order_filter,
            "page_obj": page,
            "orders": page.object_list,
            "filters": Fragment("orders/order_filters.html", {"form": order_filter.form}),
            "rows": order_list_rows(page.object_list, csrf_token=partial(get_token, request)),
            "is_paginated": page.has_other_pages(),
            "query_string": query.urlencode(),
            # The export takes the list's filters (every page of it).
            "export_csv_url": _with_query(reverse("order_list_export", args=["csv"]), query),
            "export_xlsx_url": _with_query(reverse("order_list_export", args=["xlsx"]), query),
            "creation_key": uuid.uuid4(),
        },
    )


def _with_query(url: str, query) -> str:
    return f"{url}?{query.urlencode()}" if query else url


@require_GET
@partner_required
def order_list_export(request, file_format):
    """The order list with its filters, as a CSV or XLSX file (the rows the list would show, every page)."""
    from orders.exports import order_export

    order_filter = OrderListFilter(request.GET, queryset=selectors.order_list(user=request.user))
    return order_export(order_filter.qs, file_format=file_format, with_partner=False)


def _creation_key(request) -> uuid.UUID:
    """The key of the order being created: carried by the new-order page, so a double click (or the same page
    sent twice) creates one draft; a fresh one when the page has none or a broken one."""
    try:
        return uuid.UUID(request.POST.get("creation_key") or request.GET.get("cle", ""))
    except ValueError:
        return uuid.uuid4()


@require_http_methods(["GET", "POST"])
@partner_required
def order_create(request):
    """« Nouveau »: the first step of an order not saved yet. Its first saved answer creates the draft, so
    opening the page and leaving it leaves nothing behind (no empty draft in the lists)."""
    key = _creation_key(request)
    existing = Order.objects.filter(creation_key=key, partner_id=request.user.partner_id).first()
    if existing is not None:  # back to a page whose answer was saved already: that draft
        return redirect("order_wizard", public_id=existing.public_id, step=engine.STEPS[0].identifier)
    order = Order(partner_id=request.user.partner_id, created_by=request.user, creation_key=key)
    current = engine.STEPS[0]
    form = None
    if request.method == "POST":
        form = current.get_form(request, order, data=request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():  # a refused answer leaves no draft
                    order = drafts.order_draft_create(user=request.user, creation_key=key)
                    form.order = order
                    current.save(request, order, form)
            except OrderError as error:
                order = Order(partner_id=request.user.partner_id, created_by=request.user, creation_key=key)
                form.order = order
                form.add_error(None, error)
            else:
                return _after_save(request, order, current, request.POST.get("action", "next"))
    if form is None:
        form = current.get_form(request, order)
    return render(request, current.template_name, _wizard_context(request, order, current, form))


def _partner_order(request, public_id) -> Order:
    order = get_visible_or_404(Order.objects.select_related("opportunity", "site"), request.user, public_id=public_id)
    references.attach(order, "order_type", "origin", "generation", "solution")
    return order


@require_http_methods(["GET", "POST"])
@partner_required
def order_wizard(request, public_id, step):
    order = _partner_order(request, public_id)
    if not order.is_editable:
        messages.info(request, _("Cette commande est soumise : elle n'est plus modifiable."))
        return redirect("order_detail", public_id=order.public_id)
    current = engine.resolve_step(order, step)
    if current.identifier != step:
        if engine.step_by_identifier(step) is not None:
            messages.warning(request, _("Complétez d'abord l'étape « %(step)s ».") % {"step": current.title})
        return redirect("order_wizard", public_id=order.public_id, step=current.identifier)

    form = None
    if request.method == "POST":
        action = request.POST.get("action", "next")
        form = current.get_form(request, order, data=request.POST, files=request.FILES)
        if form is None or form.is_valid():
            try:
                cleared = current.save(request, order, form) if form is not None else []
            except OrderError as error:
                if form is None:
                    messages.error(request, " ".join(error.messages))
                else:
                    form.add_error(None, error)
            else:
                if cleared:
                    messages.warning(
                        request,
                        _("Vos nouvelles réponses ont effacé : %(what)s. Vérifiez les étapes suivantes.")
                        % {"what": ", ".join(cleared)},
                    )
                return _after_save(request, order, current, action)
        elif action == "back":
            previous = engine.previous_step(order, current)
            messages.warning(
                request, _("Les modifications de l'étape « %(step)s », incomplètes, n'ont pas été enregistrées.")
                % {"step": current.title}
            )
            if previous is not None:
                return redirect("order_wizard", public_id=order.public_id, step=previous.identifier)
    if form is None:
        form = current.get_form(request, order)
    return render(request, current.template_name, _wizard_context(request, order, current, form))


def _after_save(request, order: Order, current, action: str):
    side_task = current.side_task_url(order, action)
    if side_task is not None:
        return redirect(side_task)
    if action == "save_exit":
        messages.success(
            request, _("Brouillon enregistré. Vous le retrouverez dans « Commandes » pour le reprendre.")
        )
        return redirect("order_list")
    if action == "back":
        previous = engine.previous_step(order, current)
        if previous is not None:
            return redirect("order_wizard", public_id=order.public_id, step=previous.identifier)
    following = engine.next_step(order, current)
    return redirect("order_wizard", public_id=order.public_id, step=following.identifier)


def _wizard_context(request, order: Order, current, form) -> dict:
    states = engine.step_states(order)
    applicable = [state for state in states if state.applicable]
    position = next((i for i, state in enumerate(applicable) if state.step is current), 0)
    here = applicable[position]
    # The answer just refused for disagreeing with another step, then the saved answers that disagree.
    conflicts = [*getattr(form, "conflicts", []), *(here.conflicts if here.step is current else ())]
    return {
        "summary": summary_items(order=order, current=current, states=applicable, form=form, conflicts=conflicts),
        "order": order,
        "step": current,
        "form": form,
        "states": applicable,
        "position": position + 1,
        "step_count": len(applicable),
        "progress": round(100 * position / max(len(applicable) - 1, 1)),
        "previous_step": engine.previous_step(order, current),
        "fragment_urls": _fragment_urls(order, current),
        # A returned order shows the sales administration's reason on every step it is corrected on.
        "return_event": order.events.filter(to_status=OrderStatus.RETURNED).order_by("-created_at").first()
        if order.status == OrderStatus.RETURNED
        else None,
        "is_last": current is engine.STEPS[-1],
        **current.get_context(request, order),
    }


@require_GET
@partner_required
def wizard_fragment(request, public_id, step, fragment):
    """htmx: re-render the dependent part of a step's form for the answers typed so far."""
    order = _partner_order(request, public_id)
    current = engine.step_by_identifier(step)
    if current is None or not order.is_editable:
        return HttpResponseBadRequest()
    return _fragment(request, order, current, fragment)


@require_GET
@partner_required
def order_create_fragment(request, fragment):
    """The same for the first step of an order not saved yet (``order_create``)."""
    order = Order(partner_id=request.user.partner_id, created_by=request.user)
    return _fragment(request, order, engine.STEPS[0], fragment)


FRAGMENTS = {
    ("type", "origins"): "orders/wizard/fragments/origins.html",
    ("produit", "solutions"): "orders/wizard/fragments/product_choices.html",
}


def _fragment(request, order: Order, current, fragment: str):
    template = FRAGMENTS.get((current.identifier, fragment))
    if template is None or not request.htmx:
        return HttpResponseBadRequest()
    form = current.get_form(request, order, data=request.GET)
    # Show the refreshed choices without judging answers the user has not given yet.
    form.errors.clear()
    context = {"form": form, "order": order, "step": current, "fragment_urls": _fragment_urls(order, current)}
    return render(request, template, context)


def _fragment_urls(order: Order, current) -> dict[str, str]:
    """The addresses of the step's fragments, by name (an order not saved yet has its own)."""
    return {
        name: reverse("order_wizard_fragment", args=[order.public_id, identifier, name])
        if order.pk
        else reverse("order_create_fragment", args=[name])
        for identifier, name in FRAGMENTS
        if identifier == current.identifier
    }


@require_POST
@partner_required
def order_submit_view(request, public_id):
    order = _partner_order(request, public_id)
    try:
        order_submit(order=order, user=request.user)
    except IncompleteOrder:
        messages.error(request, _("La commande ne peut pas encore être soumise : il manque des informations."))
        return redirect("order_wizard", public_id=order.public_id, step=engine.STEPS[-1].identifier)
    except OrderError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("order_detail", public_id=order.public_id)
    messages.success(
        request,
        _("Commande %(number)s soumise : l'administration des ventes va l'examiner.") % {"number": order.number},
    )
    return redirect("order_detail", public_id=order.public_id)


@require_POST
@partner_required
def order_draft_delete(request, public_id):
    order = _partner_order(request, public_id)
    try:
        drafts.order_draft_delete(order=order, user=request.user)
    except OrderError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Brouillon supprimé."))
    return redirect(reverse("order_list") + "?status=draft")


@require_GET
@portal_access_required
def order_detail(request, public_id):
    """The order read-only: every section, the lines, the status and the timeline."""
    return order_detail_response(request, public_id)


def order_detail_response(request, public_id, *, comment_form=None):
    """The order page; ``comment_form``: a message form in error, shown again with its error summary."""
    order = get_visible_or_404(
        selectors.order_detail_queryset().select_related("activation"), request.user, public_id=public_id
    )
    events = list(order.events.all())
    context = {
        "order": order,
        "lines": order.lines.all(),
        "events": events,
        **_review_context(request, order, events),
        "sections": [
            (state, state.step.summary(order))
            for state in engine.step_states(order)
            if state.applicable and state.step is not engine.STEPS[-1]
        ],
    }
    if comment_form is not None and context["comment_form"] is not None:
        context["comment_form"] = comment_form
    return render(request, "orders/order_detail.html", context)


def _review_context(request, order: Order, events) -> dict:
    """What the back-office part of the order page shows: stages, decision, messages, cancel button."""
    from orders.forms_review import CommentForm
    from orders.services.cancellation import CANCELLABLE_STATUSES

    decision = None
    if order.status in (OrderStatus.RETURNED, OrderStatus.REJECTED):
        decision = next((e for e in reversed(events) if e.to_status == order.status), None)
    return {
        # A refused or cancelled order stops there: its badge and the decision say so, not the stages.
        "stages": []
        if order.status in (OrderStatus.DRAFT, OrderStatus.REJECTED, OrderStatus.CANCELLED)
        else selectors.order_stages(order=order, events=events, has_activation=hasattr(order, "activation")),
        "decision": decision,
        "comments": selectors.order_comments(order=order, user=request.user),
        "comment_form": CommentForm(user=request.user) if order.status != OrderStatus.DRAFT else None,
        "can_cancel": request.user.is_partner and order.status in CANCELLABLE_STATUSES,
    }


@require_POST
@partner_required
def order_odata_request(request, number):
    """« Demander l'activation OData » from a site's page: a pre-filled draft, opened at the product step."""
    from orders.services.odata_request import order_odata_request_create
    from sites.models import Site

    site = get_visible_or_404(Site.objects.select_related("generation", "solution"), request.user, number=number)
    try:
        order, resumed = order_odata_request_create(user=request.user, site=site)
    except OrderError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("site_detail", number=site.number)
    if resumed:
        # Never silently: the draft keeps what was typed then (its contact, its recipients).
        messages.info(
            request,
            _("Vous aviez commencé une demande d'activation OData pour le site %(number)s le %(date)s : "
              "elle est reprise telle que vous l'aviez laissée. Vérifiez chaque étape avant de la soumettre.")
            % {"number": site.number, "date": date_format(timezone.localtime(order.created_at), "DATETIME_FORMAT")},
        )
    else:
        messages.info(
            request,
            _("Demande d'activation OData pour le site %(number)s : vérifiez les connecteurs proposés, puis continuez.")
            % {"number": site.number},
        )
    return redirect("order_wizard", public_id=order.public_id, step="produit")
