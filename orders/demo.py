"""Demo orders of each partner, complete and in several statuses, made through the real services (idempotent)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from mybusiness.demo import DEMO_PARTNER, OTHER_PARTNER
from mybusiness.models import Partner, User
from orders.models import BusinessSector, Civility, DocumentKind, Order, OrderStatus
from orders.services import drafts, review
from orders.services.documents import document_add
from orders.services.submission import order_submit
from sites.demo import demo_siret

# A one-page PDF: the demo's signed purchase orders.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# customer, city/postal code, type, origin, generation, solution, lines, final status, reason
DEMO_ORDERS = [
    ("Boulangerie Martin", ("Colmar", "68000"), "NEW_CUSTOMER", "NEW_SITE", "ONE", "ONE_ERP",
     [("ONE-ERP-USER", 5)], OrderStatus.DRAFT, ""),
    ("Menuiserie Lefèvre", ("Strasbourg", "67000"), "NEW_CUSTOMER", "NEW_SITE", "INFINITY_V10", "INFINITY",
     [("INF-USER", 12), ("INF-MOD-PROD", 1)], OrderStatus.SUBMITTED, ""),
    ("Transports Garnier", ("Mulhouse", "68100"), "INTERNAL", "NEW_SITE", "ONE", "ONE_ERP_CRM",
     [("ONE-ERP-USER", 3), ("ONE-CRM-USER", 3)], OrderStatus.RETURNED,
     "Merci de joindre le bon de commande signé par le client."),
    ("Cabinet Roux Conseil", ("Nancy", "54000"), "NEW_CUSTOMER", "NEW_SITE", "INFINITY_V10", "WEAVY",
     [("WEAVY-USER", 8)], OrderStatus.VALIDATED, ""),
    ("Fromagerie Dubois", ("Metz", "57000"), "NEW_CUSTOMER", "NEW_SITE", "ONE", "ONE_CRM",
     [("ONE-CRM-USER", 2)], OrderStatus.REJECTED, "Ce client est déjà équipé par un autre partenaire."),
]


# The sales administration's queue: orders of the other partner submitted some days ago (the queue's
# oldest first, late ones among them), one of them resubmitted after a return (what changed shows).
# customer, city/postal code, days since submission, returned with (the quantity of the correction)
DEMO_QUEUE = [
    ("Garage Meyer", ("Colmar", "68000"), 6, ""),
    ("Pharmacie Schmitt", ("Sélestat", "67600"), 4, "Le client a signé pour 8 licences, pas 5 : corrigez la quantité."),
    ("Imprimerie Klein", ("Haguenau", "67500"), 3, ""),
    ("Domaine Weber", ("Riquewihr", "68340"), 1, ""),
    ("Atelier Muller", ("Obernai", "67210"), 0, ""),
]


def _build(*, user: User, staff: User | None, index: int, row) -> bool:
    customer, (city, postal_code), type_code, origin_code, generation_code, solution_code, lines, status, reason = row
    if Order.objects.filter(partner_id=user.partner_id, customer_name=customer).exists():
        return False
    order = drafts.order_draft_create(user=user)
    drafts.order_set_type_origin(
        order=order, user=user, order_type=OrderType.objects.get(code=type_code),
        origin=Origin.objects.get(code=origin_code),
    )
    drafts.order_set_product(
        order=order, user=user, generation=Generation.objects.get(code=generation_code),
        solution=Solution.objects.get(code=solution_code),
        quantities={ProductReference.objects.get(code=code).pk: qty for code, qty in lines},
    )
    today = timezone.localdate()
    # An ASCII domain: a browser's email field rewrites an accented one (lefèvre) as punycode.
    email = f"contact{index}@{slugify(customer.split()[-1])}.example"
    drafts.order_update_fields(
        order=order, user=user,
        values={
            "customer_name": customer, "new_site_company_name": customer, "new_site_siret": demo_siret(9000 + index),
            "new_site_address": f"{10 + index} rue des Artisans", "new_site_postal_code": postal_code,
            "new_site_city": city, "new_site_country": "FR", "new_site_phone": "+33388000000",
            "new_site_email": email, "new_site_hosting": "saas",
            "contact_civility": Civility.MRS, "contact_first_name": "Claire", "contact_last_name": customer.split()[-1],
            "contact_function": "Gérante", "contact_email": email, "contact_phone": "+33612345678",
            "user_count": 5, "go_live_date": today + datetime.timedelta(days=45),
            "business_sector": BusinessSector.TRADE, "headcount": 20,
            "delivery_date": today + datetime.timedelta(days=10), "certificate_recipients": [email],
            "quote_number": f"DEV{2026000 + index}",
        },
    )
    if status == OrderStatus.DRAFT:
        return True
    document_add(
        order=order, user=user, kind=DocumentKind.PURCHASE_ORDER, max_bytes=10**6,
        uploaded_file=SimpleUploadedFile("bon-de-commande-signe.pdf", DEMO_PDF, content_type="application/pdf"),
    )
    order_submit(order=order, user=user)
    if status == OrderStatus.VALIDATED:
        review.order_validate(order=order, user=staff)
    elif status == OrderStatus.REJECTED:
        review.order_reject(order=order, user=staff, reason=reason)
    elif status == OrderStatus.RETURNED:
        review.order_return_for_correction(order=order, user=staff, reason=reason)
    return True


def _queue(*, user: User, staff: User | None, index: int, row) -> bool:
    customer, place, days, reason = row
    # A SaaS environment: once validated, the cloud team has it to activate (J8).
    built = (customer, place, "NEW_CUSTOMER", "NEW_SITE", "ONE", "ONE_ERP", [("ONE-ERP-USER", 5), ("SAAS-ENV", 1)],
             OrderStatus.SUBMITTED, "")
    if not _build(user=user, staff=staff, index=index, row=built):
        return False
    order = Order.objects.get(partner_id=user.partner_id, customer_name=customer)
    if reason:
        review.order_return_for_correction(order=order, user=staff, reason=reason)
        drafts.order_set_product(
            order=order, user=user, generation=order.generation, solution=order.solution,
            quantities={ProductReference.objects.get(code="ONE-ERP-USER").pk: 8,
                        ProductReference.objects.get(code="SAAS-ENV").pk: 1},
        )
        order_submit(order=order, user=user)
    # Submitted some days ago: the queue's ages and due dates show (the timeline moves back with it).
    shift = datetime.timedelta(days=days, hours=2)
    order.refresh_from_db()
    Order.objects.filter(pk=order.pk).update(
        created_at=order.created_at - shift, updated_at=order.updated_at - shift,
        submitted_at=order.submitted_at - shift,
    )
    for event in order.events.all():
        order.events.filter(pk=event.pk).update(created_at=event.created_at - shift)
    return True


def seed_demo(*, stdout) -> None:
    staff = User.objects.filter(email="adv@demo.example").first()
    created = 0
    for code, _name in (DEMO_PARTNER, OTHER_PARTNER):
        partner = Partner.objects.get(code=code)
        user = partner.users.filter(is_active=True).order_by("email").first()
        rows = DEMO_ORDERS if code == DEMO_PARTNER[0] else DEMO_ORDERS[:2]
        for index, row in enumerate(rows):
            with transaction.atomic():
                created += _build(user=user, staff=staff, index=index + (0 if code == DEMO_PARTNER[0] else 50), row=row)
        if code == OTHER_PARTNER[0]:
            for index, row in enumerate(DEMO_QUEUE):
                with transaction.atomic():
                    created += _queue(user=user, staff=staff, index=index + 60, row=row)
    stdout.write(f"orders: {created} demo orders created")
