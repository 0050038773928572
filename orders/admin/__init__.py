"""Django admin of the orders app, one module per audience: sales administration's order review,
the cloud team's activations (the catalog's admin is the catalog app's). Importing the package
registers them all."""

from orders.admin import cloud, review
from orders.admin.review import OrderAdmin

__all__ = ["OrderAdmin", "cloud", "review"]
