from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Opportunités")

    @property
    def staff_permissions(self):
        from mybusiness.roles import SALES_ADMIN_GROUP

        return {SALES_ADMIN_GROUP: ["view_opportunity", "add_opportunity", "change_opportunity"]}

    @property
    def menu_items(self):
        from mybusiness.navigation import PARTNER, MenuItem

        return (MenuItem("opportunity_list", _("Opportunités"), "fa-handshake", PARTNER, position=30),)
