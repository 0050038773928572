"""Django admin of the orders app, one module per audience: the catalog, sales administration's order
review, the cloud team's activations. Importing the package registers them all."""

from orders.admin import catalog, cloud, review
from orders.admin.review import OrderAdmin

__all__ = ["OrderAdmin", "catalog", "cloud", "review"]
