from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from mybusiness.admin import (
    ExportAdminMixin,
    FieldRulesAdminMixin,
    HostileInputAdminMixin,
    LargeListAdminMixin,
    two_lines,
)
from mybusiness.paginators import CappedCountPaginator
from sites import fields as site_fields
from sites import services
from sites.exports import site_columns, site_rows
from sites.forms import clean_company_data
from sites.imports import ServiceImportResource, SniffedCSV
from sites.models import (
    ChangeRequestStatus,
    FieldDecision,
    Site,
    SiteChangeRequest,
    SiteChangeRequestField,
    SiteEvent,
)


class SiteEventInline(admin.TabularInline):
    model = SiteEvent
    fk_name = "site"
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "data"]
    readonly_fields = fields
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False


class CompanyDataAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        clean_company_data(self)
        return cleaned


class CompanyFieldsAdminMixin(FieldRulesAdminMixin):
    """The admin of a model holding site data: each field and the rules between them as in the portal."""

    field_class_for = staticmethod(site_fields.field_class_for)
    form = CompanyDataAdminForm


class SiteImportResource(ServiceImportResource):
    columns = services.IMPORT_COLUMNS

    class Meta:
        model = Site
        fields = ()
        name = _("Sites (le fichier de import_sites)")

    def run(self, *, text, user):
        return services.site_import_csv(text=text, actor=user)


@admin.register(Site)
class SiteAdmin(
    ExportAdminMixin, ImportMixin, LargeListAdminMixin, CompanyFieldsAdminMixin, HostileInputAdminMixin,
    admin.ModelAdmin,
):
    # The town with its postcode, the solution with its generation: the list fits a 1366 px screen.
    list_display = ["number", "company_name", "partner", "town", "hosting", "product", "status"]
    list_filter = ["status", "hosting", "generation", "solution"]
    list_select_related = ["partner", "generation", "solution"]
    search_fields = ["number", "company_name", "siret", "city"]
    search_help_text = _("Numéro de site, raison sociale, SIRET ou ville (contient).")
    sortable_by = ["number", "company_name", "town", "status"]
    autocomplete_fields = ["partner"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    ordering = ["number"]
    inlines = [SiteEventInline]
    export_permission = "customer_sites.change_site"
    resource_classes = [SiteImportResource]
    import_formats = [SniffedCSV]
    skip_admin_log = True  # each imported site's own history records it (SiteEvent)
    export_filename = _("sites")
    fieldsets = (
        (None, {"fields": ("number", "partner", "status", "created_at")}),
        (_("Société"), {"fields": ("company_name", "siret", "vat_number", "naf_code")}),
        (_("Coordonnées"), {"fields": ("address", "postal_code", "city", "country", "phone", "email")}),
        (_("Logiciel"), {"fields": ("hosting", "generation", "solution")}),
    )

    def export_columns(self, request):
        return site_columns()

    def export_rows(self, queryset):
        return site_rows(queryset)

    @admin.display(description=_("ville"), ordering="city")
    def town(self, site):
        return f"{site.postal_code} {site.city}".strip()

    @admin.display(description=_("solution et génération"))
    def product(self, site):
        return two_lines(site.solution or "—", site.generation or "—")


class FieldDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("décision"),
        choices=[
            (FieldDecision.APPROVED, FieldDecision.APPROVED.label),
            (FieldDecision.REJECTED, FieldDecision.REJECTED.label),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = SiteChangeRequestField
        fields = ["decision", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == FieldDecision.REJECTED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif du refus de cette modification."))
        return cleaned


class FieldDecisionFormSet(BaseInlineFormSet):
    """The request's own fields and no more: a management form claiming more rows (up to Django's
    thousand) adds none, so a tampered POST neither builds a thousand empty forms nor shows empty rows."""

    def _own_count(self) -> int:
        return len(self.get_queryset())

    def initial_form_count(self) -> int:
        count = super().initial_form_count()
        return min(count, self._own_count()) if self.is_bound else count

    def total_form_count(self) -> int:
        count = super().total_form_count()
        return min(count, self._own_count()) if self.is_bound else count


class SiteChangeRequestFieldInline(admin.TabularInline):
    """Old and new value side by side, a decision and a reason per field."""

    model = SiteChangeRequestField
    form = FieldDecisionForm
    formset = FieldDecisionFormSet
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["field_label_display", "old_value_display", "new_value_display", "decision", "reason"]
    readonly_fields = ["field_label_display", "old_value_display", "new_value_display"]

    @admin.display(description=_("champ"))
    def field_label_display(self, obj):
        return capfirst(obj.field_label)

    @admin.display(description=_("valeur actuelle"))
    def old_value_display(self, obj):
        return format_html("<del>{}</del>", obj.old_text) if obj.old_value else "—"

    @admin.display(description=_("valeur demandée"))
    def new_value_display(self, obj):
        return format_html("<strong>{}</strong>", obj.new_text) if obj.new_value else "—"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_pending:
            return [*self.readonly_fields, "decision", "reason"]
        return self.readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The decisions are the request's review: the parent's review permission decides.
    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("customer_sites.review_sitechangerequest")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("customer_sites.view_sitechangerequest")


@admin.register(SiteChangeRequest)
class SiteChangeRequestAdmin(HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["site", "partner_name", "requested_by", "created_at", "status", "reviewed_by"]
    list_filter = ["status"]
    list_select_related = ["site__partner", "requested_by", "reviewed_by"]
    search_fields = ["=site__number"]
    search_help_text = _("Numéro de site exact.")
    show_full_result_count = False
    paginator = CappedCountPaginator
    ordering = ["-created_at"]
    inlines = [SiteChangeRequestFieldInline]
    fields = ["site_link", "partner_name", "requested_by", "created_at", "status", "reviewed_by", "reviewed_at"]
    readonly_fields = fields

    @admin.display(description=_("partenaire"), ordering="site__partner__name")
    def partner_name(self, obj):
        return obj.site.partner.name

    @admin.display(description=_("site"))
    def site_link(self, obj):
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a>', reverse("admin:customer_sites_site_change", args=[obj.site_id]), obj.site
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("site__partner", "requested_by", "reviewed_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not request.user.has_perm("customer_sites.review_sitechangerequest"):
            return False
        return obj is None or obj.status == ChangeRequestStatus.PENDING

    def save_model(self, request, obj, form, change):
        # Nothing on the request itself is editable: the review happens in save_related.
        pass

    def save_related(self, request, form, formsets, change):
        decisions = {}
        for formset in formsets:
            # The service saves the decisions; the admin's history only needs these lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            for inline_form in formset.forms:
                decisions[inline_form.instance.field_name] = (
                    inline_form.cleaned_data.get("decision"),
                    inline_form.cleaned_data.get("reason", ""),
                )
        try:
            services.site_change_request_review(
                change_request=form.instance, reviewer=request.user, decisions=decisions
            )
        except services.SiteChangeRequestError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
        else:
            self.message_user(request, _("Décisions enregistrées ; le partenaire est prévenu par e-mail."))
