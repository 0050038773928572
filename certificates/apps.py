from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    label = "certificates"
    verbose_name = _("Certificats")

    @property
    def staff_permissions(self):
        from mybusiness.roles import SALES_ADMIN_GROUP

        return {SALES_ADMIN_GROUP: ["view_certificate", "resend_certificate"]}

    def ready(self):
        from certificates.panels import order_certificates_context
        from mybusiness.panels import register_panel

        register_panel(
            "order_detail",
            template_name="certificates/includes/order_certificates.html",
            get_context=order_certificates_context,
        )
