from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Opportunités")

    @property
    def menu_items(self):
        from mybusiness.navigation import PARTNER, MenuItem

        return (MenuItem("opportunity_list", _("Opportunités"), "fa-handshake", PARTNER, position=30),)
