from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class MybusinessConfig(AppConfig):
    name = "mybusiness"
    verbose_name = _("Partenaires et utilisateurs")

    @property
    def staff_permissions(self):
        from mybusiness.roles import SALES_ADMIN_GROUP

        return {
            SALES_ADMIN_GROUP: ["view_partner", "add_partner", "change_partner", "view_user", "view_outboxemail"],
        }

    @property
    def menu_items(self):
        from mybusiness.navigation import STAFF, MenuItem

        return (MenuItem("admin:index", _("Administration"), "fa-screwdriver-wrench", STAFF, position=90),)

    def ready(self) -> None:
        from mybusiness import checks  # noqa: F401 (registers the start-up checks)


class PortalAdminConfig(AdminConfig):
    default_site = "mybusiness.admin_site.PortalAdminSite"
