"""The certificates app's panel on an order's page (``mybusiness.panels``), registered in its AppConfig."""

from __future__ import annotations

from certificates.selectors import certificates_for_order


def order_certificates_context(request, order) -> dict:
    """The order's certificates the user may download."""
    return {"order": order, "certificates": list(certificates_for_order(order=order, user=request.user))}
