from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Commandes")

    def ready(self):
        from mybusiness import references
        from orders.models import Generation, OrderType, Origin, Solution

        references.register(OrderType, Origin, Generation, Solution)
