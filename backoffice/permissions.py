"""Who sees which part of the dashboard."""


def sees_sales(user) -> bool:
    return user.is_active and user.is_staff and (
        user.has_perm("orders.review_order") or user.has_perm("orders.view_order")
    )


def sees_activations(user) -> bool:
    return sees_sales(user) or (user.is_active and user.is_staff and user.has_perm("orders.view_activation"))
