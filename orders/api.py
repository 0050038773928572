"""Orders in the partner API: the list, the detail, and a draft filled part by part with the wizard's rules.

Each part (type, product, site, contact, delivery, details) is the wizard step of that name: its form
checks the data sent and its ``save`` writes it through the services, so the API and the pages refuse
the same answers with the same messages. A part is accepted when the wizard would open its step (the
steps before it answered); the missing-items list says what ``submit`` still lacks.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view

from catalog import references
from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from mybusiness.api import (
    MAX_PAGE,
    MAX_PER_PAGE,
    ApiProblem,
    Page,
    answers,
    field_error,
    form_data,
    form_refused,
    idempotent,
    page_of,
)
from mybusiness.tenancy import get_visible_or_404
from orders import selectors
from orders.filters import OrderListFilter
from orders.models import Order, OrderDocument, OrderStatus
from orders.services import drafts
from orders.services.cancellation import order_cancel
from orders.services.comments import order_comment_add
from orders.services.documents import document_add, document_delete
from orders.services.submission import IncompleteOrder, order_submit
from orders.wizard import engine
from sites.api import CompanyIn, CompanyOut

router = Router(tags=["orders"])


# --------------------------------------------------------------------------------------------- output

class LineOut(Schema):
    reference: str
    label: str
    quantity: int


class DocumentOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    name: str = Field(alias="original_name")
    kind: str
    size: int
    content_type: str
    uploaded_at: dt.datetime


class SiteRef(Schema):
    number: str
    company_name: str


class NewSiteOut(CompanyOut):
    pass


class ContactOut(Schema):
    civility: str
    first_name: str
    last_name: str
    function: str
    email: str
    phone: str
    user_count: int | None
    go_live_date: dt.date | None
    business_sector: str
    headcount: int | None


class DeliveryOut(Schema):
    date: dt.date | None
    recipients: list[str]


class OrderSummary(Schema):
    id: uuid.UUID
    number: str | None
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    customer_name: str
    order_type: str | None
    generation: str | None
    solution: str | None
    site_number: str | None


class OrderOut(Schema):
    id: uuid.UUID
    number: str | None
    status: str
    status_label: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    order_type: str | None
    origin: str | None
    opportunity: str | None
    generation: str | None
    solution: str | None
    lines: list[LineOut]
    site: SiteRef | None
    new_site: NewSiteOut | None
    customer_name: str
    contact: ContactOut
    delivery: DeliveryOut
    documents: list[DocumentOut]
    quote_number: str
    comments: str


class PartOut(Schema):
    order: OrderOut
    cleared: list[str] = Field(description="Ce que les nouvelles réponses ont effacé (à revoir).")


class MissingPart(Schema):
    part: str
    title: str
    missing: list[str]


class MessageOut(Schema):
    author: str
    body: str
    created_at: dt.datetime


def _code(instance) -> str | None:
    return instance.code if instance is not None else None


def order_out(order: Order) -> dict:
    lines = [
        {"reference": line.reference.code, "label": line.reference.display_label, "quantity": line.quantity}
        for line in order.lines.select_related("reference").order_by("reference__kind", "reference__position")
    ]
    new_site = None
    if not order.site_id and order.new_site_company_name:
        new_site = {name: getattr(order, f"new_site_{name}") for name in NewSiteOut.model_fields}
    contact = {name: getattr(order, f"contact_{name}") for name in
               ("civility", "first_name", "last_name", "function", "email", "phone")}
    contact.update(user_count=order.user_count, go_live_date=order.go_live_date,
                   business_sector=order.business_sector, headcount=order.headcount)
    return {
        "id": order.public_id, "number": order.number, "status": order.status,
        "status_label": order.get_status_display(), "created_at": order.created_at, "updated_at": order.updated_at,
        "submitted_at": order.submitted_at, "order_type": _code(order.order_type), "origin": _code(order.origin),
        "opportunity": order.opportunity.number if order.opportunity_id else None,
        "generation": _code(order.generation), "solution": _code(order.solution), "lines": lines,
        "site": {"number": order.site.number, "company_name": order.site.company_name} if order.site_id else None,
        "new_site": new_site, "customer_name": order.customer_name, "contact": contact,
        "delivery": {"date": order.delivery_date, "recipients": list(order.certificate_recipients or [])},
        "documents": list(order.documents.order_by("uploaded_at")),
        "quote_number": order.quote_number, "comments": order.comments,
    }


def _order(request: HttpRequest, order_id: uuid.UUID) -> Order:
    order = get_visible_or_404(Order.objects.select_related("opportunity", "site"), request.user, public_id=order_id)
    references.attach(order, "order_type", "origin", "generation", "solution")
    return order


# ----------------------------------------------------------------------------------------------- list

class OrderFilters(Schema):
    q: str = Field("", max_length=100, description="Numéro, client ou numéro de site")
    status: OrderStatus | None = None
    order_type: str | None = Field(None, max_length=40, description="Code du type de commande")
    generation: str | None = Field(None, max_length=40, description="Code de la génération")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(25, ge=1, le=MAX_PER_PAGE)


@router.get("/orders", response=answers(Page[OrderSummary]), summary="Commandes (filtres de la liste du portail)")
def order_list(request, filters: Query[OrderFilters]):
    data = {"q": filters.q, "status": filters.status or "",
            "order_type": references.filter_value(OrderType, filters.order_type),
            "generation": references.filter_value(Generation, filters.generation)}
    order_filter = OrderListFilter(data, queryset=selectors.order_list(user=request.user))
    if not order_filter.is_valid():
        raise form_refused(order_filter.form)
    page = page_of(selectors.order_list_values(order_filter.qs), page=filters.page, per_page=filters.per_page)
    page["items"] = [
        {
            "id": row["public_id"], "number": row["number"], "status": row["status"],
            "created_at": row["created_at"], "updated_at": row["updated_at"], "customer_name": row["customer_name"],
            "order_type": references.code_of(OrderType, row["order_type_id"]),
            "generation": references.code_of(Generation, row["generation_id"]),
            "solution": references.code_of(Solution, row["solution_id"]), "site_number": row["site_number"],
        }
        for row in page["items"]
    ]
    return page


@router.get("/orders/{order_id}", response=answers(OrderOut), summary="Une commande")
def order_detail(request, order_id: uuid.UUID):
    return order_out(_order(request, order_id))


# ----------------------------------------------------------------------------------------------- parts

class TypeIn(Schema):
    order_type: str = Field(max_length=40, description="Code du type de commande")
    origin: str = Field(max_length=40, description="Code de l'origine")
    opportunity: str | None = Field(None, max_length=40, description="Numéro d'opportunité")


class LineIn(Schema):
    reference: str = Field(max_length=40, description="Code de la référence")
    quantity: int = Field(ge=0, le=9999)


class ProductIn(Schema):
    generation: str = Field(max_length=40)
    solution: str = Field(max_length=40)
    lines: list[LineIn] = Field(max_length=100, description="Toutes les lignes : celles absentes sont retirées")


class SiteIn(CompanyIn):
    site_number: str | None = Field(None, max_length=20, description="Site existant (origine « Site existant »)")
    hosting: str | None = Field(None, max_length=12)
    confirm_new_site: bool = Field(False, description="Un site semblable existe et c'est bien un nouveau site")


class ContactIn(Schema):
    civility: str | None = Field(None, max_length=3)
    first_name: str | None = Field(None, max_length=200)
    last_name: str | None = Field(None, max_length=200)
    function: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    user_count: int | None = Field(None, ge=0, le=2_000_000_000)
    go_live_date: dt.date | None = None
    business_sector: str | None = Field(None, max_length=20)
    headcount: int | None = Field(None, ge=0, le=2_000_000_000)


class DeliveryIn(Schema):
    date: dt.date
    recipients: list[str] = Field(max_length=20)


class DetailsIn(Schema):
    quote_number: str | None = Field(None, max_length=100)
    comments: str | None = Field(None, max_length=10_000)


NEW_SITE_NAMES = {name: f"new_site_{name}" for name in NewSiteOut.model_fields} | {"confirm_new_site": "keep_new_site"}
CONTACT_NAMES = {name: f"contact_{name}" for name in ("civility", "first_name", "last_name", "function", "email",
                                                      "phone")}
DELIVERY_NAMES = {"date": "delivery_date"}


# The API's name of each part → the wizard step that fills it.
PART_STEPS = {"type": "type", "product": "produit", "site": "site", "contact": "contact", "delivery": "livraison",
              "details": "documents"}
STEP_PARTS = {step: part for part, step in PART_STEPS.items()}


def _catalog_pk(model, code: str) -> int | str:
    """The id a form's choice takes for ``code``; the code itself when unknown, so that the form refuses it
    with its own message."""
    return references.pk_for_code(model, code, unknown=code)


def _save_part(request, order: Order, part: str, data: dict, *, names: dict[str, str] | None = None,
               adjust=None) -> dict:
    """Run the form of the step that fills ``part`` on ``data`` and save it, as the wizard's POST does."""
    identifier = PART_STEPS[part]
    if not order.is_editable:
        raise ApiProblem(409, _("Cette commande est soumise : elle n'est plus modifiable."))
    step = engine.resolve_step(order, identifier)
    if step.identifier != identifier:
        raise ApiProblem(409, _("Complétez d'abord l'étape « %(step)s ».") % {"step": step.title})
    form = step.get_form(request, order, data=data)
    if not form.is_valid():
        raise form_refused(form, fields={form_name: api for api, form_name in (names or {}).items()})
    if adjust is not None:
        adjust(form)
    cleared = form.save()  # a rule the services refuse is a 422 (mybusiness.api's handler of ValidationError)
    order = _order(request, order.public_id)
    return {"order": order_out(order), "cleared": [str(item) for item in cleared]}


def _type_data(payload: TypeIn) -> dict:
    return {"order_type": _catalog_pk(OrderType, payload.order_type), "origin": _catalog_pk(Origin, payload.origin),
            "opportunity": payload.opportunity or ""}


@router.post("/orders", response=answers(PartOut, 201), summary="Créer un brouillon (étape « Type et origine »)")
@decorate_view(idempotent)
def order_create(request, payload: TypeIn):
    """As in the portal, a draft exists from its first saved answer: the type and origin create it."""
    order = Order(partner_id=request.user.partner_id, created_by=request.user)
    step = engine.STEPS[0]
    form = step.get_form(request, order, data=_type_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    with transaction.atomic():  # a refused answer leaves no draft
        order = drafts.order_draft_create(user=request.user)
        form.order = order
        cleared = form.save()
    return Status(201, {"order": order_out(_order(request, order.public_id)), "cleared": [str(c) for c in cleared]})


@router.put("/orders/{order_id}/type", response=answers(PartOut), summary="Type, origine et opportunité")
def order_set_type(request, order_id: uuid.UUID, payload: TypeIn):
    return _save_part(request, _order(request, order_id), "type", _type_data(payload))


@router.put("/orders/{order_id}/product", response=answers(PartOut), summary="Génération, solution et lignes")
def order_set_product(request, order_id: uuid.UUID, payload: ProductIn):
    order = _order(request, order_id)
    known = dict(ProductReference.objects.filter(code__in={line.reference for line in payload.lines})
                 .values_list("code", "pk"))
    errors = [field_error(f"lines/{index}/reference", _("Cette référence n'existe pas."))
              for index, line in enumerate(payload.lines) if line.reference not in known]
    if errors:
        raise ApiProblem(422, errors[0]["detail"], errors=errors)
    wanted = {known[line.reference]: line.quantity for line in payload.lines}
    data = {"generation": _catalog_pk(Generation, payload.generation),
            "solution": _catalog_pk(Solution, payload.solution)}
    data.update({f"qty_{pk}": quantity for pk, quantity in wanted.items()})

    def with_every_line(form):
        # A reference the form does not offer for this solution goes to the service, which refuses it.
        form.cleaned_data["quantities"] = {**form.cleaned_data["quantities"], **wanted}

    return _save_part(request, order, "product", data, adjust=with_every_line)


@router.put("/orders/{order_id}/site", response=answers(PartOut),
            summary="Site : existant (numéro) ou nouveau (données)")
def order_set_site(request, order_id: uuid.UUID, payload: SiteIn):
    return _save_part(request, _order(request, order_id), "site", form_data(payload, **NEW_SITE_NAMES),
                      names=NEW_SITE_NAMES)


@router.put("/orders/{order_id}/contact", response=answers(PartOut),
            summary="Interlocuteur principal et données complémentaires")
def order_set_contact(request, order_id: uuid.UUID, payload: ContactIn):
    return _save_part(request, _order(request, order_id), "contact", form_data(payload, **CONTACT_NAMES),
                      names=CONTACT_NAMES)


@router.put("/orders/{order_id}/delivery", response=answers(PartOut), summary="Livraison du certificat")
def order_set_delivery(request, order_id: uuid.UUID, payload: DeliveryIn):
    return _save_part(request, _order(request, order_id), "delivery", form_data(payload, **DELIVERY_NAMES),
                      names=DELIVERY_NAMES)


@router.put("/orders/{order_id}/details", response=answers(PartOut), summary="Numéro de devis et commentaires")
def order_set_details(request, order_id: uuid.UUID, payload: DetailsIn):
    # « save »: the purchase order may come before or after (the missing-items list says if it lacks).
    return _save_part(request, _order(request, order_id), "details", {**form_data(payload), "action": "save"})


@router.get("/orders/{order_id}/missing", response=answers(list[MissingPart]), summary="Ce qui manque pour soumettre")
def order_missing(request, order_id: uuid.UUID):
    order = _order(request, order_id)
    return [{"part": STEP_PARTS.get(step.identifier, step.identifier), "title": str(step.title),
             "missing": [str(item) for item in lacks]}
            for step, lacks in engine.missing_for_submission(order)]


# ------------------------------------------------------------------------------------------- documents

@router.post("/orders/{order_id}/documents", response=answers(DocumentOut, 201), url_name="order_document_upload",
             summary="Déposer un document (multipart : file, kind)")
@decorate_view(idempotent)
def order_document_upload(request, order_id: uuid.UUID, file: File[UploadedFile],
                          kind: str = Form("purchase_order", max_length=20)):
    from django.conf import settings

    order = _order(request, order_id)
    try:
        document = document_add(order=order, user=request.user, uploaded_file=file, kind=kind,
                                max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES)
    finally:
        file.close()
    return Status(201, document)


@router.delete("/orders/{order_id}/documents/{document_id}", response=answers(None, 204), summary="Retirer un document")
def order_document_delete(request, order_id: uuid.UUID, document_id: uuid.UUID):
    order = _order(request, order_id)
    document_delete(document=get_object_or_404(OrderDocument, order=order, public_id=document_id), user=request.user)
    return Status(204, None)


# ------------------------------------------------------------------------------------------ lifecycle

class CancelIn(Schema):
    reason: str = Field("", max_length=4000)


@router.post("/orders/{order_id}/submit", response=answers(OrderOut), summary="Soumettre à l'administration des ventes")
@decorate_view(idempotent)
def order_submit_api(request, order_id: uuid.UUID):
    order = _order(request, order_id)
    try:
        order_submit(order=order, user=request.user)
    except IncompleteOrder as error:
        raise ApiProblem(422, str(error.message), errors=[
            field_error(STEP_PARTS.get(step.identifier, step.identifier), " ".join(str(item) for item in lacks))
            for step, lacks in engine.missing_for_submission(order)
        ]) from None
    return order_out(_order(request, order_id))


@router.post("/orders/{order_id}/cancel", response=answers(OrderOut), summary="Annuler (avant validation)")
@decorate_view(idempotent)
def order_cancel_api(request, order_id: uuid.UUID, payload: CancelIn):
    order_cancel(order=_order(request, order_id), user=request.user, reason=payload.reason)
    return order_out(_order(request, order_id))


# ------------------------------------------------------------------------------------------- messages

class MessageIn(Schema):
    body: str = Field(max_length=10_000)


def message_out(comment) -> dict:
    return {"author": str(comment.author or _("Utilisateur supprimé")), "body": comment.body,
            "created_at": comment.created_at}


@router.get("/orders/{order_id}/messages", response=answers(list[MessageOut]), summary="Messages de la commande")
def order_messages(request, order_id: uuid.UUID):
    order = _order(request, order_id)
    return [message_out(comment) for comment in selectors.order_comments(order=order, user=request.user)]


@router.post("/orders/{order_id}/messages", response=answers(MessageOut, 201),
             summary="Écrire à l'administration des ventes")
@decorate_view(idempotent)
def order_message_add(request, order_id: uuid.UUID, payload: MessageIn):
    comment = order_comment_add(order=_order(request, order_id), author=request.user, body=payload.body)
    return Status(201, message_out(comment))
