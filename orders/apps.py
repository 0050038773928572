from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Commandes")

    @property
    def staff_permissions(self):
        from mybusiness.roles import CLOUD_TEAM_GROUP, SALES_ADMIN_GROUP

        return {
            SALES_ADMIN_GROUP: [
                "view_order", "change_order", "view_orderline", "view_orderevent", "review_order",
                "view_ordercomment", "add_ordercomment", "view_orderdocument", "view_activation",
            ],
            CLOUD_TEAM_GROUP: ["view_activation", "change_activation", "work_activation"],
        }

    @property
    def menu_items(self):
        from mybusiness.navigation import PARTNER, MenuItem

        return (MenuItem("order_list", _("Commandes"), "fa-file-invoice", PARTNER, position=10),)

    def ready(self):
        from mybusiness.panels import register_panel
        from orders.panels import site_odata_context

        register_panel("site_detail", template_name="orders/includes/site_odata.html", get_context=site_odata_context)
