"""``{% order_certificates order %}``: the certificates block of an order page.

The order page (in ``orders``) loads this library; ``orders`` never imports
``certificates`` in Python, so the dependency stays one way.
"""

from django import template

from certificates.selectors import certificates_for_order

register = template.Library()


@register.inclusion_tag("certificates/includes/order_certificates.html", takes_context=True)
def order_certificates(context, order):
    user = context["request"].user
    return {"order": order, "certificates": list(certificates_for_order(order=order, user=user))}
