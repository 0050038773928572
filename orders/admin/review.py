"""Sales administration's review: the order changelist and the read-only order page with its actions.

The changelist is built for a million rows: no full COUNT(*) (an estimate or a capped count instead),
no facet counts, filters that never load every partner into the sidebar, a date range instead of
``date_hierarchy``, the columns' relations fetched in the one query of the page (the catalog's
labels from its cache, ``catalog.references``, rather than two more joins)."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog import references
from catalog.models import Generation, OrderType
from mybusiness.admin import (
    ExportAdminMixin,
    HostileInputAdminMixin,
    LargeListAdminMixin,
    ReadOnlyAdminMixin,
    two_lines,
)
from mybusiness.paginators import CappedCountPaginator
from orders.admin.filters import CreatedBetweenFilter, PartnerCodeFilter, QueueStatusFilter
from orders.admin.ownership import LateFilter, OwnerFilter, OwnershipAdminMixin, waiting_cell
from orders.answers import changes_since_return
from orders.errors import OrderError
from orders.exports import order_columns, order_rows
from orders.models import (
    Activation,
    ActivationStatus,
    Order,
    OrderComment,
    OrderEvent,
    OrderLine,
    OrderStatus,
)
from orders.services.comments import order_comment_add
from orders.services.review import REVIEW_PERMISSION, order_reject, order_return_for_correction, order_validate
from sites.validators import format_phone


class OrderOwnerFilter(OwnerFilter):
    mine_label = _("Mes commandes")


class OrderLateFilter(LateFilter):
    start_field = "submitted_at"
    working_days_setting = "ORDER_REVIEW_WORKING_DAYS"
    waiting_statuses = (OrderStatus.SUBMITTED,)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = ["reference", "quantity"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reference")


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    verbose_name_plural = _("historique")
    fields = readonly_fields = ["created_at", "actor", "transition", "text"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("statut"))
    def transition(self, event):
        return event.transition_label or "—"

    @admin.display(description=_("message"))
    def text(self, event):
        return event.text


class OrderCommentInline(ReadOnlyInline):
    model = OrderComment
    verbose_name_plural = _("messages et notes internes")
    fields = readonly_fields = ["created_at", "author", "kind", "body"]

    @admin.display(description=_("type"))
    def kind(self, comment):
        return gettext("Note interne") if comment.is_internal else gettext("Message")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


def document_inline_class():
    """The documents inline, if the ``OrderDocument`` model exists (built on another branch)."""
    try:
        document_model = apps.get_model("orders", "OrderDocument")
    except LookupError:
        return None

    class OrderDocumentInline(ReadOnlyInline):
        model = document_model
        fields = readonly_fields = ["download", "kind", "size", "uploaded_at"]

        @admin.display(description=_("fichier"))
        def download(self, document):
            url = reverse("admin:orders_order_document", args=[document.order_id, document.pk])
            return format_html('<a href="{}">{}</a>', url, document.original_name)

    return OrderDocumentInline


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=4000,
        error_messages={"required": _("Indiquez le motif : le partenaire le lira.")},
    )

    def __init__(self, *args, reason_required: bool, reason_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        self.fields["reason"].label = reason_label


class AdminCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=5000,
        error_messages={"required": _("Écrivez un message.")},
    )
    internal = forms.BooleanField(
        label=_("Note interne (jamais montrée au partenaire)"), required=False
    )


REVIEW_ACTIONS = {
    # slug: (button label, page title, reason required, reason label, service)
    "valider": (_("Valider"), _("Valider la commande"), False, _("Message (facultatif)"), None),
    "refuser": (_("Refuser"), _("Refuser la commande"), True, _("Motif du refus"), order_reject),
    "renvoyer": (
        _("Renvoyer au partenaire pour correction"),
        _("Renvoyer la commande au partenaire pour correction"),
        True,
        _("Ce que le partenaire doit corriger"),
        order_return_for_correction,
    ),
}


@admin.register(Order)
class OrderAdmin(
    ExportAdminMixin, OwnershipAdminMixin, LargeListAdminMixin, ReadOnlyAdminMixin, HostileInputAdminMixin,
    admin.ModelAdmin,
):
    """Sales administration's review: the queue « À traiter » (the list's default view, oldest first), every
    other order on demand, and the read-only order page with its actions."""

    # Two facts to a column where they go together: the list fits a 1366 px screen beside its filters.
    # « owner » is the owner column with its buttons, bound to the request (``get_list_display``).
    list_display = [
        "number", "status_badge", "waiting", "partner", "customer_and_site", "order_type_and_generation", "owner",
    ]
    list_display_links = ["number"]
    list_filter = [
        QueueStatusFilter, OrderOwnerFilter, OrderLateFilter, "order_type", "generation", PartnerCodeFilter,
        CreatedBetweenFilter,
    ]
    list_select_related = ["partner", "site", "assigned_to"]
    ownership_url_prefix = "orders_order"
    search_fields = ["=number", "=site__number", "=partner__code", "customer_name", "partner__name"]
    search_help_text = _("N° de commande, n° de site, code partenaire (exacts), client ou nom du partenaire")
    sortable_by = ["number", "created_at"]
    ordering = ["-created_at", "-id"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    list_per_page = 50
    actions = ["validate_selected"]
    change_form_template = "admin/orders/order/change_form.html"
    export_permission = REVIEW_PERMISSION
    export_filename = _("commandes")
    fieldsets = [
        (_("Commande"), {"fields": [
            "number", "status", "partner", "created_by", "created_at", "submitted_at", "updated_at", "activation_state",
        ]}),
        (_("Type, origine et produit"), {"fields": ["order_type", "origin", "opportunity", "generation", "solution"]}),
        # The site's part: the chosen site's data, or the new site's answers (``get_fieldsets``).
        (_("Site"), {"fields": []}),
        (_("Interlocuteur principal et données complémentaires"), {"fields": [
            "contact_civility", "contact_first_name", "contact_last_name", "contact_function", "contact_email",
            "contact_phone", "user_count", "go_live_date", "business_sector", "headcount",
        ]}),
        (_("Livraison du certificat"), {"fields": ["delivery_date", "recipients"]}),
        (_("Documents et informations complémentaires"), {"fields": ["quote_number", "comments"]}),
    ]

    # An existing site's data as the site holds it; a new site's as the partner typed it. Never both: an
    # existing-site order's empty new-site answers would read « - » everywhere (and « FR », their default).
    EXISTING_SITE_FIELDS = ["site_link", "site_identity", "site_address", "site_contact", "site_hosting_and_status"]
    NEW_SITE_FIELDS = [
        "customer_name", "new_site_company_name", "new_site_siret", "new_site_vat_number", "new_site_naf_code",
        "new_site_address", "new_site_postal_code", "new_site_city", "new_site_country", "new_site_phone",
        "new_site_email", "new_site_hosting",
    ]

    def get_fieldsets(self, request, obj=None):
        site_fields = self.EXISTING_SITE_FIELDS if obj is not None and obj.site_id else self.NEW_SITE_FIELDS
        return [
            (title, {"fields": site_fields}) if title == _("Site") else (title, options)
            for title, options in super().get_fieldsets(request, obj)
        ]

    def export_columns(self, request):
        return order_columns(with_partner=True)

    def export_rows(self, queryset):
        return order_rows(queryset)

    def get_inlines(self, request, obj):
        documents = document_inline_class()
        return [OrderLineInline, *([documents] if documents else []), OrderEventInline, OrderCommentInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Order._meta.fields] + [
            "activation_state", "recipients", *self.EXISTING_SITE_FIELDS
        ]

    @admin.display(description=_("destinataires du certificat"))
    def recipients(self, order):
        # One address a line (the JSON field itself would show its brackets and quotes).
        return "\n".join(order.certificate_recipients or []) or None

    @admin.display(description=_("site"))
    def site_link(self, order):
        url = reverse("admin:customer_sites_site_change", args=[order.site_id])
        return format_html('<a href="{}">{}</a>', url, order.site)

    @admin.display(description=_("raison sociale et SIRET"))
    def site_identity(self, order):
        return two_lines(order.site.company_name, order.site.siret or "—")

    @admin.display(description=_("adresse"))
    def site_address(self, order):
        site = order.site
        town = " ".join(part for part in (site.postal_code, site.city) if part)
        return two_lines(site.address or "—", " · ".join(part for part in (town, site.country) if part) or "—")

    @admin.display(description=_("téléphone et e-mail"))
    def site_contact(self, order):
        return two_lines(format_phone(order.site.phone) if order.site.phone else "—", order.site.email or "—")

    @admin.display(description=_("hébergement et statut"))
    def site_hosting_and_status(self, order):
        return two_lines(order.site.get_hosting_display(), order.site.get_status_display())

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "orders_order_changelist":
            # The list joins only what its columns show (list_select_related): a nine-table join
            # costs PostgreSQL more to plan than to run.
            return queryset
        return queryset.select_related(
            "partner", "created_by", "order_type", "origin", "generation", "solution", "site", "opportunity"
        )

    def get_list_display(self, request):
        return [self.owner_column(request) if name == "owner" else name for name in self.list_display]

    def changelist_view(self, request, extra_context=None):
        # The page says which list it is: the queue, or the orders of a status.
        value = request.GET.get(QueueStatusFilter.parameter_name, QueueStatusFilter.QUEUE)
        title = _("Commandes à traiter") if value == QueueStatusFilter.QUEUE else _("Commandes")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_ordering(self, request):
        # The queue: the oldest submission first (its own index); any other view: the newest first.
        if request.GET.get(QueueStatusFilter.parameter_name, QueueStatusFilter.QUEUE) == QueueStatusFilter.QUEUE:
            return ["submitted_at", "id"]
        return ["-created_at", "-id"]

    @admin.display(description=_("attente"))
    def waiting(self, order):
        if order.status != OrderStatus.SUBMITTED:
            return "—"
        return waiting_cell(order.submitted_at, settings.ORDER_REVIEW_WORKING_DAYS, timezone.now())

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    @admin.display(description=_("statut"), ordering="status")
    def status_badge(self, order):
        return order.status_label

    @admin.display(description=_("type de commande"))
    def order_type_label(self, order):
        return references.labels(OrderType).get(order.order_type_id, "—")

    @admin.display(description=_("génération"))
    def generation_label(self, order):
        return references.labels(Generation).get(order.generation_id, "—")

    @admin.display(description=_("site"))
    def site_number(self, order):
        return order.site.number if order.site_id else "—"

    @admin.display(description=_("client et site"))
    def customer_and_site(self, order):
        return two_lines(order.customer_name or "—", self.site_number(order))

    @admin.display(description=_("type et génération"))
    def order_type_and_generation(self, order):
        return two_lines(self.order_type_label(order), self.generation_label(order))

    @admin.display(description=_("activation"))
    def activation_state(self, order):
        activation = Activation.objects.filter(order=order).first()
        if activation is None:
            return gettext("Aucune activation cloud nécessaire") if order.status not in (
                OrderStatus.DRAFT, OrderStatus.SUBMITTED, OrderStatus.RETURNED
            ) else "—"
        text = activation.get_status_display()
        if activation.status == ActivationStatus.BLOCKED:
            text = gettext("%(status)s : %(reason)s") % {"status": text, "reason": activation.blocked_reason}
        return text

    # -- list action ------------------------------------------------------

    @admin.action(description=_("Valider les commandes sélectionnées"), permissions=["review"])
    def validate_selected(self, request, queryset):
        validated, refused = 0, []
        for order in queryset.order_by("id")[:500]:
            try:
                order_validate(order=order, user=request.user)
            except OrderError as error:
                refused.append(gettext("%(number)s : %(errors)s")
                               % {"number": order.display_number, "errors": " ".join(error.messages)})
            else:
                validated += 1
        if validated:
            messages.success(request, gettext("%(count)d commande(s) validée(s).") % {"count": validated})
        for line in refused:
            messages.warning(request, line)

    # -- custom views -----------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/examen/<slug:action>/", wrap(self.review_view), name="orders_order_review"),
            path("<int:object_id>/message/", wrap(self.comment_view), name="orders_order_comment"),
            path(
                "<int:object_id>/documents/<int:document_id>/",
                wrap(self.document_view),
                name="orders_order_document",
            ),
            *self.ownership_urls(),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        order = self.get_object(request, object_id)
        if order is not None:
            can_review = self.has_review_permission(request) and order.status == OrderStatus.SUBMITTED
            extra_context["review_actions"] = (
                [(slug, spec[0]) for slug, spec in REVIEW_ACTIONS.items()] if can_review else []
            )
            if request.user.has_perm("orders.add_ordercomment") and order.status != OrderStatus.DRAFT:
                extra_context["comment_form"] = AdminCommentForm()
            extra_context["portal_url"] = reverse("order_detail", args=[order.public_id])
            extra_context["last_return"], extra_context["changes"] = changes_since_return(order)
        return super().change_view(request, object_id, form_url, extra_context)

    def _order_or_404(self, request, object_id) -> Order:
        order = self.get_object(request, str(object_id))
        if order is None:
            raise Http404
        return order

    def review_view(self, request, object_id, action):
        if action not in REVIEW_ACTIONS:
            raise Http404
        if not self.has_review_permission(request):
            raise PermissionDenied
        order = self._order_or_404(request, object_id)
        button, title, required, reason_label, service = REVIEW_ACTIONS[action]
        change_url = reverse("admin:orders_order_change", args=[order.pk])
        data = request.POST if request.method == "POST" else None
        form = ReviewForm(data, reason_required=required, reason_label=reason_label)
        if request.method == "POST" and form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if service is None:
                    order_validate(order=order, user=request.user, message=reason)
                else:
                    service(order=order, user=request.user, reason=reason)
            except OrderError as error:
                form.add_error(None, error)
            else:
                done = {
                    "valider": gettext("Commande %(number)s validée."),
                    "refuser": gettext("Commande %(number)s refusée : le partenaire est prévenu."),
                    "renvoyer": gettext("Commande %(number)s renvoyée au partenaire pour correction."),
                }[action]
                messages.success(request, done % {"number": order.number})
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": str(order),
            "order": order,
            "form": form,
            "button": button,
            "action": action,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/orders/order/review_action.html", context)

    def comment_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("orders.add_ordercomment"):
            raise PermissionDenied
        order = self._order_or_404(request, object_id)
        form = AdminCommentForm(request.POST)
        if form.is_valid():
            try:
                order_comment_add(
                    order=order,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    internal=form.cleaned_data["internal"],
                )
            except OrderError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    gettext("Note interne ajoutée.") if form.cleaned_data["internal"]
                    else gettext("Message envoyé au partenaire."),
                )
        else:
            messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect(reverse("admin:orders_order_change", args=[order.pk]) + "#messages")

    def document_view(self, request, object_id, document_id):
        if not request.user.has_perm("orders.view_orderdocument"):
            raise PermissionDenied
        try:
            document_model = apps.get_model("orders", "OrderDocument")
        except LookupError:
            raise Http404 from None
        order = self._order_or_404(request, object_id)
        document = get_object_or_404(document_model, pk=document_id, order=order)
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)
