from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        from catalog import references
        from catalog.models import Generation, OrderType, Origin, Solution

        references.register(OrderType, Origin, Generation, Solution)
