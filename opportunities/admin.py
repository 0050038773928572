from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from mybusiness.admin import HostileInputAdminMixin, two_lines
from opportunities import services
from opportunities.models import Opportunity
from sites.admin import CompanyFieldsAdminMixin
from sites.imports import ServiceImportResource, SniffedCSV


class OpportunityImportResource(ServiceImportResource):
    columns = services.IMPORT_COLUMNS

    class Meta:
        model = Opportunity
        fields = ()
        name = _("Opportunités (le fichier de import_opportunities)")

    def run(self, *, text, user):
        return services.opportunity_import_csv(text=text)


@admin.register(Opportunity)
class OpportunityAdmin(ImportMixin, CompanyFieldsAdminMixin, HostileInputAdminMixin, admin.ModelAdmin):
    """Sales admins keep the opportunities: imported from the CRM's CSV (« Importer », or the
    ``import_opportunities`` command), corrected here."""

    resource_classes = [OpportunityImportResource]
    import_formats = [SniffedCSV]
    skip_admin_log = True

    # The solution with its generation: the list fits a 1366 px screen beside its filters.
    list_display = [
        "number", "name", "company_name", "partner", "stage", "product", "estimated_amount", "expected_close_date",
        "owner",
    ]
    list_display_links = ["number", "name"]
    list_filter = ["stage", "generation", "solution", "expected_close_date"]
    list_select_related = ["partner", "generation", "solution", "owner"]
    search_fields = ["=number", "name", "company_name", "siret", "city", "partner__code", "partner__name"]
    autocomplete_fields = ["partner", "owner"]
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = ["created_at"]
    fieldsets = (
        (None, {"fields": ("number", "name", "partner", "owner", "stage", "estimated_amount", "expected_close_date")}),
        (_("Produit"), {"fields": ("generation", "solution")}),
        (
            _("Prospect"),
            {"fields": ("company_name", "siret", "vat_number", "naf_code", "address", "postal_code", "city",
                        "country", "phone", "email")},
        ),
        (_("Contact du prospect"), {"fields": ("contact_name", "contact_function", "contact_email", "contact_phone")}),
        (_("Dates"), {"fields": ("created_at",)}),
    )

    @admin.display(description=_("solution et génération"))
    def product(self, opportunity):
        return two_lines(opportunity.solution or "—", opportunity.generation or "—")
