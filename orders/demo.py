"""Demo orders for « Demo Intégration »: a few in each early status (idempotent)."""

from __future__ import annotations

from django.db import transaction

from mybusiness.demo import DEMO_PARTNER, OTHER_PARTNER
from mybusiness.models import Partner, User
from orders.models import Generation, Order, OrderStatus, OrderType, Origin, ProductReference, Solution
from orders.services import drafts
from orders.services.lifecycle import transition

# customer, type, origin, generation, solution, lines, target status, message
DEMO_ORDERS = [
    ("Boulangerie Martin", "NEW_CUSTOMER", "NEW_SITE", "ONE", "ONE_ERP", [("ONE-ERP-USER", 5)], "draft", ""),
    ("Menuiserie Lefèvre", "NEW_CUSTOMER", "NEW_SITE", "INFINITY_V10", "INFINITY",
     [("INF-USER", 12), ("INF-MOD-PROD", 1)], "submitted", ""),
    ("Transports Garnier", "INTERNAL", "NEW_SITE", "ONE", "ONE_ERP_CRM",
     [("ONE-ERP-USER", 3), ("ONE-CRM-USER", 3)], "returned",
     "Merci de joindre le bon de commande signé par le client."),
    ("Cabinet Roux Conseil", "NEW_CUSTOMER", "NEW_SITE", "INFINITY_V10", "WEAVY", [("WEAVY-USER", 8)],
     "validated", ""),
    ("Fromagerie Dubois", "NEW_CUSTOMER", "NEW_SITE", "ONE", "ONE_CRM", [("ONE-CRM-USER", 2)], "rejected",
     "Ce client est déjà équipé par un autre partenaire."),
]


def _build(*, user: User, row) -> Order | None:
    customer, type_code, origin_code, generation_code, solution_code, lines, status, message = row
    if Order.objects.filter(partner_id=user.partner_id, customer_name=customer).exists():
        return None
    order = drafts.order_draft_create(user=user)
    drafts.order_set_type_origin(
        order=order, user=user, order_type=OrderType.objects.get(code=type_code),
        origin=Origin.objects.get(code=origin_code),
    )
    quantities = {ProductReference.objects.get(code=code).pk: qty for code, qty in lines}
    drafts.order_set_product(
        order=order, user=user, generation=Generation.objects.get(code=generation_code),
        solution=Solution.objects.get(code=solution_code), quantities=quantities,
    )
    drafts.order_update_fields(
        order=order, user=user,
        values={"customer_name": customer, "new_site_company_name": customer, "new_site_city": "Strasbourg",
                "new_site_postal_code": "67000", "new_site_country": "FR"},
    )
    if status == OrderStatus.DRAFT:
        return order
    # Straight through the lifecycle recipe: the demo needs no emails.
    from orders.services.numbering import next_order_number

    def number(locked):
        locked.number = next_order_number()
        return ["number"]

    transition(order=order, actor=user, allowed_from=[OrderStatus.DRAFT], to=OrderStatus.SUBMITTED,
               message="Commande soumise.", before_save=number)
    if status != OrderStatus.SUBMITTED:
        staff = User.objects.filter(email="adv@demo.example").first()
        transition(order=order, actor=staff, allowed_from=[OrderStatus.SUBMITTED], to=status, message=message)
    return order


@transaction.atomic
def seed_demo(*, stdout) -> None:
    created = 0
    for code, _name in (DEMO_PARTNER, OTHER_PARTNER):
        partner = Partner.objects.get(code=code)
        user = partner.users.filter(is_active=True).order_by("email").first()
        rows = DEMO_ORDERS if code == DEMO_PARTNER[0] else DEMO_ORDERS[:2]
        for row in rows:
            created += _build(user=user, row=row) is not None
    stdout.write(f"orders: {created} demo orders created")
