from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.forms import CertificateResendForm
from certificates.models import Certificate
from certificates.services import CertificateError, certificate_resend
from mybusiness.admin import HostileInputAdminMixin, ReadOnlyAdminMixin


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, HostileInputAdminMixin, admin.ModelAdmin):
    list_display = ["number", "kind", "order_link", "partner", "issued_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["number", "order__number", "order__customer_name"]
    list_select_related = ["order", "order__partner"]
    date_hierarchy = "issued_at"
    readonly_fields = ["number", "kind", "order_link", "issued_at", "sent_at", "recipient_list"]
    fields = readonly_fields
    show_full_result_count = False

    @admin.display(description=gettext_lazy("commande"), ordering="order__number")
    def order_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[obj.order_id]), obj.order.number
        )

    @admin.display(description=gettext_lazy("destinataires"))
    def recipient_list(self, obj):
        return ", ".join(obj.recipients)

    @admin.display(description=gettext_lazy("partenaire"), ordering="order__partner__name")
    def partner(self, obj):
        return obj.order.partner.name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        can_resend = request.user.has_perm("certificates.resend_certificate")
        extra_context = {**(extra_context or {}), "can_resend": can_resend}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/renvoyer/",
                self.admin_site.admin_view(self.resend_view),
                name="certificates_certificate_resend",
            )
        ]
        return custom + super().get_urls()

    def resend_view(self, request, pk: int):
        """« Renvoyer »: the reason is required and written on the order's timeline."""
        if not request.user.has_perm("certificates.resend_certificate"):
            raise PermissionDenied
        certificate = get_object_or_404(Certificate.objects.select_related("order"), pk=pk)
        form = CertificateResendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                certificate_resend(certificate=certificate, user=request.user, reason=form.cleaned_data["reason"])
            except CertificateError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Le certificat %(number)s a été renvoyé à %(recipients)s.")
                    % {"number": certificate.number, "recipients": ", ".join(certificate.recipients)},
                    messages.SUCCESS,
                )
                return redirect("admin:certificates_certificate_change", certificate.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": certificate,
            "certificate": certificate,
            "form": form,
            "title": _("Renvoyer le certificat %(number)s") % {"number": certificate.number},
        }
        return TemplateResponse(request, "admin/certificates/certificate/resend.html", context)
