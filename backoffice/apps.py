from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The back office's overview: the dashboard on the admin index. The top layer: it reads every stage of an
    order, from submission to the certificate sent."""

    name = "backoffice"
    verbose_name = _("Tableau de bord")

    def ready(self):
        from django.contrib import admin
        from django.db.backends.signals import connection_created

        from backoffice.aggregates import register_sqlite_percentile

        # The sales administrator lands on the admin index: the dashboard is there, above the models' list.
        admin.site.index_template = "backoffice/admin_index.html"
        connection_created.connect(register_sqlite_percentile, dispatch_uid="backoffice_sqlite_percentile")
