from orders.models.activation import SERVICE_ENVIRONMENTS, Activation, ActivationStatus
from orders.models.comment import OrderComment
from orders.models.document import DocumentKind, OrderDocument
from orders.models.order import (
    EDITABLE_STATUSES,
    BusinessSector,
    Civility,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumberCounter,
    OrderStatus,
)

__all__ = [
    "EDITABLE_STATUSES",
    "SERVICE_ENVIRONMENTS",
    "Activation",
    "ActivationStatus",
    "BusinessSector",
    "Civility",
    "DocumentKind",
    "Order",
    "OrderComment",
    "OrderDocument",
    "OrderEvent",
    "OrderLine",
    "OrderNumberCounter",
    "OrderStatus",
]
