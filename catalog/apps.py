from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CATALOG_MODELS = ["ordertype", "origin", "generation", "solution", "productreference"]


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue")

    @property
    def staff_permissions(self):
        """Sales administration edits the catalog (read by ``mybusiness.roles`` where each app
        declares its staff groups' permissions on its AppConfig)."""
        from mybusiness.roles import SALES_ADMIN_GROUP

        return {
            SALES_ADMIN_GROUP: [
                f"{action}_{model}" for model in CATALOG_MODELS for action in ("view", "add", "change", "delete")
            ]
        }

    def ready(self):
        from catalog import references
        from catalog.models import Generation, OrderType, Origin, Solution

        references.register(OrderType, Origin, Generation, Solution)
