"""The cloud team's work list: the activations handed to them, marked done or blocked."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Prefetch, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mybusiness.admin import HostileInputAdminMixin, ReadOnlyAdminMixin, two_lines
from mybusiness.paginators import CappedCountPaginator
from orders.admin.filters import DefaultChoiceFilter
from orders.admin.ownership import LateFilter, OwnerFilter, OwnershipAdminMixin, waiting_cell
from orders.errors import OrderError
from orders.models import (
    SERVICE_ENVIRONMENTS,
    Activation,
    ActivationStatus,
    OrderLine,
)
from orders.services.activation import WORK_PERMISSION, activation_block, activation_mark_done


class ActivationTodoFilter(DefaultChoiceFilter):
    """« À faire » (handed off, or blocked) by default; done and all on demand."""

    title = _("état")
    parameter_name = "etat"
    default = "todo"

    def lookups(self, request, model_admin):
        return [("todo", _("À faire")), ("pending", _("Pas encore transmises")), ("done", _("Activées")),
                ("all", _("Toutes"))]

    def queryset(self, request, queryset):
        wanted = {
            "todo": [ActivationStatus.NOTIFIED, ActivationStatus.BLOCKED],
            "pending": [ActivationStatus.PENDING],
            "done": [ActivationStatus.DONE],
        }.get(self.value())
        return queryset.filter(status__in=wanted) if wanted else queryset


class MarkDoneForm(forms.Form):
    def __init__(self, *args, needs_urls: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_urls:
            for name, label in SERVICE_ENVIRONMENTS:
                self.fields[name] = forms.URLField(
                    label=_("Adresse du service OData — %(environment)s") % {"environment": label},
                    required=name == "production",
                    max_length=500,
                    assume_scheme="https",
                    widget=forms.URLInput(attrs={"size": 80, "placeholder": "https://"}),
                    error_messages={
                        "required": _("Indiquez l'adresse du service OData en production."),
                        "invalid": _("Saisissez une adresse web valide (https://…)."),
                    },
                )


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Problème rencontré"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=4000,
        error_messages={"required": _("Décrivez le problème qui bloque l'activation.")},
    )


class ActivationOwnerFilter(OwnerFilter):
    mine_label = _("Mes activations")


class ActivationLateFilter(LateFilter):
    start_field = "created_at"
    working_days_setting = "ACTIVATION_WORKING_DAYS"
    waiting_statuses = (ActivationStatus.PENDING, ActivationStatus.NOTIFIED, ActivationStatus.BLOCKED)


@admin.register(Activation)
class ActivationAdmin(OwnershipAdminMixin, ReadOnlyAdminMixin, HostileInputAdminMixin, admin.ModelAdmin):
    """The cloud team's queue: activations to do, blocked ones on top with their reason, then the oldest
    first, each with its age and due date, « Prendre en charge », « Marquer comme activé » and
    « Signaler un blocage »."""

    list_display = [
        # The buttons first: the list is wide, and they are what the cloud team comes for.
        "order_number", "work_buttons", "status_and_reason", "waiting", "owner", "site", "references", "hosting",
        "partner",
    ]
    list_display_links = None
    list_filter = [ActivationTodoFilter, ActivationOwnerFilter, ActivationLateFilter]
    search_fields = ["=order__number", "=order__site__number", "order__customer_name"]
    # Blocked first (they wait on someone), then the oldest: ``activation_status_age`` serves both.
    ordering = [Case(When(status=ActivationStatus.BLOCKED, then=0), default=1).asc(), "created_at", "id"]
    ownership_url_prefix = "orders_activation"
    sortable_by = ["created_at"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    list_per_page = 50
    actions = None

    class Media:
        css = {"all": ["orders/admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("order__partner", "order__site", "assigned_to")
            .prefetch_related(Prefetch("order__lines", queryset=OrderLine.objects.select_related("reference")))
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.has_perm(WORK_PERMISSION) or user.has_perm("orders.view_activation")

    @admin.display(description=_("commande"))
    def order_number(self, activation):
        return activation.order.number

    @admin.display(description=_("site et client"))
    def site(self, activation):
        order = activation.order
        number = order.site.number if order.site_id else gettext("Nouveau site")
        return format_html("{}<br>{}", number, order.customer_name)

    @admin.display(description=_("hébergement"))
    def hosting(self, activation):
        order = activation.order
        return order.site.get_hosting_display() if order.site_id else order.get_new_site_hosting_display()

    @admin.display(description=_("références"))
    def references(self, activation):
        return format_html_join(
            ", ", "{} × {}", ((line.quantity, line.reference.code) for line in activation.order.lines.all())
        )

    @admin.display(description=_("partenaire"))
    def partner(self, activation):
        return activation.order.partner.name

    @admin.display(description=_("attente"))
    def waiting(self, activation):
        if activation.status == ActivationStatus.DONE:
            return gettext("activée en %(duration)s") % {
                "duration": timesince(activation.created_at, activation.done_at or timezone.now())
            }
        return waiting_cell(activation.created_at, settings.ACTIVATION_WORKING_DAYS, timezone.now())

    @admin.display(description=_("statut"))
    def status_and_reason(self, activation):
        if activation.status == ActivationStatus.BLOCKED:
            return two_lines(activation.get_status_display(), activation.blocked_reason)
        return activation.get_status_display()

    @admin.display(description=_("actions"))
    def work_buttons(self, activation):
        if activation.status not in (ActivationStatus.NOTIFIED, ActivationStatus.BLOCKED):
            return "—"
        done_url = reverse("admin:orders_activation_work", args=[activation.pk, "activer"])
        block_url = reverse("admin:orders_activation_work", args=[activation.pk, "bloquer"])
        if activation.status == ActivationStatus.BLOCKED:
            return format_html(
                '<a class="button activation-action" href="{}">{}</a>', done_url, gettext("Marquer comme activé")
            )
        return format_html(
            '<a class="button activation-action" href="{}">{}</a><br>'
            '<a class="button activation-action" href="{}">{}</a>',
            done_url, gettext("Marquer comme activé"), block_url, gettext("Signaler un blocage"),
        )

    def get_list_display(self, request):
        # The buttons are for the cloud team only: others see the list read-only.
        columns = [self.owner_column(request) if name == "owner" else name for name in self.list_display]
        if not request.user.has_perm(WORK_PERMISSION):
            columns.remove("work_buttons")
        return columns

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Activations"), **(extra_context or {})})

    def get_urls(self):
        return [
            # Before the work actions: « prendre » would otherwise read as an action.
            *self.ownership_urls(),
            path(
                "<int:object_id>/<slug:action>/",
                self.admin_site.admin_view(self.work_view),
                name="orders_activation_work",
            ),
            *super().get_urls(),
        ]

    def work_view(self, request, object_id, action):
        if action not in ("activer", "bloquer"):
            raise Http404
        if not request.user.has_perm(WORK_PERMISSION):
            raise PermissionDenied
        activation = get_object_or_404(self.get_queryset(request), pk=object_id)
        from orders.services.activation import activation_needs_service_urls

        data = request.POST if request.method == "POST" else None
        if action == "activer":
            form = MarkDoneForm(data, needs_urls=activation_needs_service_urls(activation))
            title = gettext("Marquer comme activé")
        else:
            form = BlockForm(data)
            title = gettext("Signaler un blocage")
        if request.method == "POST" and form.is_valid():
            try:
                if action == "activer":
                    urls = {name: form.cleaned_data.get(name, "") for name, _label in SERVICE_ENVIRONMENTS}
                    activation_mark_done(activation=activation, user=request.user, service_urls=urls)
                    done = gettext("Activation de la commande %(number)s marquée comme faite.")
                else:
                    activation_block(activation=activation, user=request.user, reason=form.cleaned_data["reason"])
                    done = gettext(
                        "Blocage signalé pour la commande %(number)s : l'administration des ventes est prévenue."
                    )
            except OrderError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done % {"number": activation.order.number})
                return redirect("admin:orders_activation_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": activation.order.number,
            "activation": activation,
            "order": activation.order,
            "form": form,
            "button": title,
            "changelist_url": reverse("admin:orders_activation_changelist"),
        }
        return TemplateResponse(request, "admin/orders/activation/work.html", context)
