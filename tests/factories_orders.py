"""Factories for orders, built on the seeded catalog (codes from design.md §4)."""

from __future__ import annotations

import factory

from orders.models import Generation, Order, OrderLine, OrderType, Origin, ProductReference, Solution
from tests.factories import PartnerFactory, UserFactory


def catalog(model, code):
    return model.objects.get(code=code)


class OrderFactory(factory.django.DjangoModelFactory):
    """An empty draft of a partner."""

    class Meta:
        model = Order

    partner = factory.SubFactory(PartnerFactory)
    created_by = factory.LazyAttribute(lambda o: UserFactory(partner=o.partner))


def draft_with_product(*, partner, user=None, type_code="NEW_CUSTOMER", origin_code="NEW_SITE",
                       generation_code="ONE", solution_code="ONE_ERP", lines=(("ONE-ERP-USER", 3),)) -> Order:
    """A draft with steps 1 and 2 answered."""
    order = OrderFactory(partner=partner, created_by=user or UserFactory(partner=partner))
    order.order_type = catalog(OrderType, type_code)
    order.origin = catalog(Origin, origin_code)
    order.generation = catalog(Generation, generation_code)
    order.solution = catalog(Solution, solution_code)
    order.customer_name = "Boulangerie Martin"
    order.save()
    for code, quantity in lines:
        OrderLine.objects.create(order=order, reference=catalog(ProductReference, code), quantity=quantity)
    return order
