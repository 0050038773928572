from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "sites"
    label = "customer_sites"
    verbose_name = _("Sites clients")

    @property
    def staff_permissions(self):
        from mybusiness.roles import CLOUD_TEAM_GROUP, SALES_ADMIN_GROUP

        return {
            SALES_ADMIN_GROUP: [
                "view_site", "add_site", "change_site", "view_sitechangerequest", "change_sitechangerequest",
                "review_sitechangerequest", "view_sitechangerequestfield", "view_siteevent",
            ],
            CLOUD_TEAM_GROUP: ["view_site"],
        }

    @property
    def menu_items(self):
        from mybusiness.navigation import PARTNER, STAFF, MenuItem

        return (
            MenuItem("site_list", _("Sites"), "fa-building", PARTNER, position=20),
            # Sales admins browse every partner's sites; the cloud team works in the admin only.
            MenuItem(
                "site_list", _("Sites"), "fa-building", STAFF, position=20, shown_to=lambda user: user.is_sales_admin
            ),
        )
