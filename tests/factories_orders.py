"""Factories for orders, built on the seeded catalog (codes from design.md §4)."""

from __future__ import annotations

import factory

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from orders.models import Order, OrderLine
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
                       generation_code="ONE", solution_code="ONE_ERP", lines=(("ONE-ERP-USER", 3),),
                       with_site=True) -> Order:
    """A draft with steps 1 and 2 answered (and step 3 too, unless ``with_site`` is False)."""
    order = OrderFactory(partner=partner, created_by=user or UserFactory(partner=partner))
    order.order_type = catalog(OrderType, type_code)
    order.origin = catalog(Origin, origin_code)
    order.generation = catalog(Generation, generation_code)
    order.solution = catalog(Solution, solution_code)
    if with_site:
        _answer_site_step(order)
    order.save()
    for code, quantity in lines:
        OrderLine.objects.create(order=order, reference=catalog(ProductReference, code), quantity=quantity)
    return order


def _answer_site_step(order: Order) -> None:
    """Step 3: a valid new site, or an active site of the partner for an existing-site origin."""
    from tests.factories_sites import SiteFactory

    if order.origin.site_mode == "existing":
        order.site = SiteFactory(partner=order.partner, company_name="Boulangerie Martin")
    else:
        order.new_site_company_name = "Boulangerie Martin"
        order.new_site_siret = "73282932000074"
        order.new_site_address = "1 rue Neuve"
        order.new_site_postal_code = "69003"
        order.new_site_city = "Lyon"
        order.new_site_country = "FR"
        order.new_site_hosting = "saas"
    order.customer_name = "Boulangerie Martin"
