from orders.models.activation import SERVICE_ENVIRONMENTS, Activation, ActivationStatus
from orders.models.catalog import (
    Generation,
    ODataQuota,
    ODataTarget,
    OpportunityRule,
    OrderType,
    Origin,
    ProductReference,
    ReferenceKind,
    SiteMode,
    Solution,
)
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
    "Generation",
    "ODataQuota",
    "ODataTarget",
    "OpportunityRule",
    "Order",
    "OrderComment",
    "OrderDocument",
    "OrderEvent",
    "OrderLine",
    "OrderNumberCounter",
    "OrderStatus",
    "OrderType",
    "Origin",
    "ProductReference",
    "ReferenceKind",
    "SiteMode",
    "Solution",
]
