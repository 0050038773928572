"""Factories for certificates and OData orders: sites, and orders at any stage of their lifecycle."""

from __future__ import annotations

import datetime

import factory

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from orders.models import Activation, ActivationStatus, Order, OrderEvent, OrderLine, OrderStatus
from sites.models import Hosting, Site
from tests.factories import PartnerFactory, UserFactory
from tests.factories_orders import catalog


class CertSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    # Apart from the fixed numbers tests give (C9001xx…): a number of the sequence never meets one.
    number = factory.Sequence(lambda n: f"C8{n:05d}")
    partner = factory.SubFactory(PartnerFactory)
    company_name = factory.Sequence(lambda n: f"Client OData {n}")
    address = "12 rue des Tanneurs"
    postal_code = "69002"
    city = "Lyon"
    siret = "73282932000074"
    hosting = Hosting.SAAS
    generation = factory.LazyFunction(lambda: catalog(Generation, "ONE"))
    solution = factory.LazyFunction(lambda: catalog(Solution, "ONE_ERP_CRM"))


_counter = iter(range(1, 10**6))


def order_at(
    status: str,
    *,
    partner,
    site=None,
    user=None,
    lines=(("ONE-ERP-USER", 3),),
    delivery_date: datetime.date | None = None,
    recipients=("destinataire@client.example",),
    type_code="ADDITIONAL",
    origin_code="EXISTING_SITE",
    solution_code=None,
    service_urls: dict | None = None,
) -> Order:
    """An order of ``partner`` already in ``status`` (a number once submitted), with its lines."""
    solution = catalog(Solution, solution_code) if solution_code else (site.solution if site else None)
    solution = solution or catalog(Solution, "ONE_ERP_CRM")
    order = Order.objects.create(
        partner=partner,
        created_by=user or UserFactory(partner=partner),
        status=status,
        number=None if status == OrderStatus.DRAFT else f"CMD-2026-{900000 + next(_counter):06d}",
        order_type=catalog(OrderType, type_code),
        origin=catalog(Origin, origin_code),
        generation=solution.generation,
        solution=solution,
        site=site,
        customer_name=site.company_name if site else "Boulangerie Martin",
        delivery_date=delivery_date,
        certificate_recipients=list(recipients),
    )
    for code, quantity in lines:
        OrderLine.objects.create(order=order, reference=catalog(ProductReference, code), quantity=quantity)
    # Validation opens an activation when a reference needs the cloud team (orders.services.review).
    needs_activation = order.lines.filter(reference__needs_cloud_activation=True).exists()
    stage = {
        OrderStatus.VALIDATED: ActivationStatus.NOTIFIED,
        OrderStatus.IN_ACTIVATION: ActivationStatus.NOTIFIED,
        OrderStatus.ACTIVATED: ActivationStatus.DONE,
        OrderStatus.COMPLETED: ActivationStatus.DONE,
    }.get(status)
    if needs_activation and stage:
        Activation.objects.create(order=order, status=stage, service_urls=service_urls or {})
    return order


def complete(order: Order, *, when=None) -> Order:
    """Mark ``order`` completed with its event (what certificate issuing leaves behind)."""
    from django.utils import timezone

    order.status = OrderStatus.COMPLETED
    order.save(update_fields=["status"])
    OrderEvent.objects.create(
        order=order,
        to_status=OrderStatus.COMPLETED,
        from_status=OrderStatus.ACTIVATED,
        created_at=when or timezone.now(),
    )
    return order
