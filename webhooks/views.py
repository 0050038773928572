"""The partner admin's webhook pages: endpoints, their secret, « Tester » and the delivery log."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mybusiness.tenancy import partner_required
from webhooks import selectors, services
from webhooks.forms import EndpointForm

LOG_PER_PAGE = 25


@require_http_methods(["GET", "POST"])
@partner_required(admin_only=True)
def endpoint_list(request: HttpRequest):
    form = EndpointForm(request.POST or None, initial={"creation_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(admin=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # the services' fields are the form's
        else:
            messages.success(request, _("Point de réception ajouté. Copiez son secret pour vérifier les signatures."))
            return redirect("webhook_endpoint", public_id=endpoint.public_id)
    return render(request, "webhooks/endpoint_list.html",
                  {"endpoints": selectors.endpoint_list(admin=request.user), "form": form})


@require_http_methods(["GET", "POST"])
@partner_required(admin_only=True)
def endpoint_detail(request: HttpRequest, public_id):
    endpoint = selectors.endpoint_get(admin=request.user, public_id=public_id)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("url", "description", "events")}
        try:
            services.endpoint_update(admin=request.user, endpoint=endpoint, **values)
        except ValidationError as error:
            form.add_error(None, error)  # the services' fields are the form's
        else:
            messages.success(request, _("Point de réception enregistré."))
            return redirect("webhook_endpoint", public_id=endpoint.public_id)
    page = Paginator(selectors.endpoint_log(endpoint=endpoint), LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/endpoint_detail.html",
                  {"endpoint": endpoint, "form": form, "page_obj": page, "log": page.object_list,
                   "is_paginated": page.has_other_pages()})


@require_POST
@partner_required(admin_only=True)
def endpoint_action(request: HttpRequest, public_id, action: str):
    endpoint = selectors.endpoint_get(admin=request.user, public_id=public_id)
    done = {
        "test": (services.endpoint_test, _("Message de test enregistré : il apparaît ci-dessous dès son envoi.")),
        "rotate": (services.endpoint_rotate_secret,
                   _("Nouveau secret créé. L'ancien signe encore les messages pendant 24 heures.")),
        "reactivate": (services.endpoint_reactivate, _("Point de réception réactivé.")),
        "delete": (services.endpoint_delete, _("Point de réception supprimé.")),
    }
    service, success = done[action]
    try:
        service(admin=request.user, endpoint=endpoint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    if action == "delete":
        return redirect("webhook_endpoints")
    return redirect("webhook_endpoint", public_id=endpoint.public_id)
