"""A year of the other partner's past orders, for the back office's dashboard to show something real.

Each order walks the real stages (submitted, validated, activated when it needs the cloud team,
certificate sent) at dates spread over the last twelve months, a few refused on the way. The rows are
written directly with their past dates: going through the services would date everything today and
render a certificate PDF per order (a quarter of a second each, on every ``seed_demo``). Each
certificate's PDF is a one-page placeholder naming its number; the real layout is
``certificates.rendering``'s, seen on the demo's own OData orders.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from certificates.models import Certificate, CertificateKind
from certificates.services import certificate_number
from mybusiness.models import Partner, User
from orders.models import Activation, ActivationStatus, Order, OrderEvent, OrderLine, OrderStatus
from orders.services.numbering import next_order_number

# The marker of the history's orders: seeding again adds none.
QUOTE_PREFIX = "HIST"
# (order type, origin, generation, solution, lines); the SaaS environment needs the cloud team.
KINDS = [
    ("NEW_CUSTOMER", "NEW_SITE", "ONE", "ONE_ERP", [("ONE-ERP-USER", 5), ("SAAS-ENV", 1)]),
    ("NEW_CUSTOMER", "NEW_SITE", "INFINITY_V10", "INFINITY", [("INF-USER", 10), ("INF-MOD-PROD", 1)]),
    ("ADDITIONAL", "EXISTING_SITE", "ONE", "ONE_ERP_CRM", [("ONE-CRM-USER", 3)]),
    ("ADDITIONAL", "EXISTING_SITE", "INFINITY_V10", "INFINITY", [("INF-USER", 4)]),
    ("INTERNAL", "NEW_SITE", "ONE", "ONE_CRM", [("ONE-CRM-USER", 2), ("SAAS-ENV", 1)]),
]
CUSTOMERS = [
    "Boucherie Keller", "Cave Hoffmann", "Scierie Fritsch", "Laboratoire Wagner", "Hôtel Bauer", "Ébénisterie Roth",
    "Garage Fischer", "Transports Schneider", "Brasserie Koch", "Pépinière Schaeffer", "Optique Zimmermann",
    "Cabinet Lang", "Fonderie Walter", "Librairie Heitz", "Traiteur Gross", "Maraîchers Jung",
]


def placeholder_pdf(number: str) -> bytes:
    """A valid one-page PDF saying which certificate it stands for."""
    text = f"BT /F1 16 Tf 72 760 Td (Certificat {number} - historique de demonstration) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(text), text),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (index, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stages(rng: random.Random, submitted: datetime.datetime, needs_cloud: bool, refused: bool):
    """The dates of each status the order reached, in order."""
    validated = submitted + datetime.timedelta(hours=rng.uniform(3, 70))
    if refused:
        return [(OrderStatus.SUBMITTED, submitted), (OrderStatus.REJECTED, validated)]
    stages = [(OrderStatus.SUBMITTED, submitted), (OrderStatus.VALIDATED, validated)]
    ready = validated
    if needs_cloud:
        handed = validated + datetime.timedelta(minutes=rng.uniform(1, 10))
        ready = handed + datetime.timedelta(hours=rng.uniform(4, 96))
        stages += [(OrderStatus.IN_ACTIVATION, handed), (OrderStatus.ACTIVATED, ready)]
    stages.append((OrderStatus.COMPLETED, ready + datetime.timedelta(hours=rng.uniform(1, 120))))
    return stages


MESSAGES = {
    OrderStatus.SUBMITTED: gettext_noop("Commande soumise."),
    OrderStatus.VALIDATED: gettext_noop("Commande validée."),
    OrderStatus.REJECTED: gettext_noop("Commande refusée."),
    OrderStatus.IN_ACTIVATION: gettext_noop("Activation transmise à l'équipe cloud."),
    OrderStatus.ACTIVATED: gettext_noop("Activation faite par l'équipe cloud."),
    OrderStatus.COMPLETED: gettext_noop("Certificat émis et envoyé."),
}


@transaction.atomic
def seed_history(*, partner: Partner, staff: User | None, cloud: User | None, stdout) -> None:
    if Order.objects.filter(partner=partner, quote_number__startswith=QUOTE_PREFIX).exists():
        return
    user = partner.users.filter(is_active=True).order_by("email").first()
    rng = random.Random(19)  # the same history at every seed
    now = timezone.now()
    catalog = {
        "types": {t.code: t for t in OrderType.objects.all()},
        "origins": {o.code: o for o in Origin.objects.all()},
        "generations": {g.code: g for g in Generation.objects.all()},
        "solutions": {s.code: s for s in Solution.objects.all()},
        "references": {r.code: r for r in ProductReference.objects.all()},
    }
    # Busier lately: about six a week over the last twelve weeks, two or three a month before.
    ages = [rng.uniform(1, 84) for _ in range(70)] + [rng.uniform(84, 365) for _ in range(25)]
    created = 0
    for index, age in enumerate(sorted(ages, reverse=True)):
        submitted = now - datetime.timedelta(days=age)
        type_code, origin_code, generation_code, solution_code, lines = KINDS[index % len(KINDS)]
        needs_cloud = any(catalog["references"][code].needs_cloud_activation for code, _qty in lines)
        stages = _stages(rng, submitted, needs_cloud, refused=rng.random() < 0.12)
        if stages[-1][1] > now:
            continue  # a history: only what is over
        customer = f"{CUSTOMERS[index % len(CUSTOMERS)]} {index + 1}"
        order = Order.objects.create(
            partner=partner, created_by=user, number=next_order_number(), status=stages[-1][0],
            created_at=submitted - datetime.timedelta(hours=rng.uniform(1, 48)), updated_at=stages[-1][1],
            submitted_at=submitted, order_type=catalog["types"][type_code], origin=catalog["origins"][origin_code],
            generation=catalog["generations"][generation_code], solution=catalog["solutions"][solution_code],
            customer_name=customer, new_site_company_name=customer, new_site_city="Strasbourg",
            new_site_postal_code="67000", new_site_hosting="saas", contact_last_name=customer.split()[0],
            delivery_date=stages[-1][1].date(), certificate_recipients=[user.email],
            quote_number=f"{QUOTE_PREFIX}{index:04d}",
        )
        OrderLine.objects.bulk_create(
            OrderLine(order=order, reference=catalog["references"][code], quantity=quantity)
            for code, quantity in lines
        )
        previous = OrderStatus.DRAFT
        events = [OrderEvent(order=order, actor=user, created_at=order.created_at, to_status=OrderStatus.DRAFT)]
        for status, when in stages:
            actor = user if status == OrderStatus.SUBMITTED else (cloud if status == OrderStatus.ACTIVATED else staff)
            events.append(OrderEvent(order=order, actor=actor if status != OrderStatus.COMPLETED else None,
                                     created_at=when, from_status=previous, to_status=status,
                                     message=MESSAGES[status]))
            previous = status
        OrderEvent.objects.bulk_create(events)
        dates = dict(stages)
        if needs_cloud and OrderStatus.VALIDATED in dates:
            Activation.objects.create(
                order=order, status=ActivationStatus.DONE, created_at=dates[OrderStatus.VALIDATED],
                queued_at=dates[OrderStatus.VALIDATED], notified_at=dates[OrderStatus.IN_ACTIVATION],
                notification_count=1, done_at=dates[OrderStatus.ACTIVATED], done_by=cloud,
            )
        if OrderStatus.COMPLETED in dates:
            number = certificate_number(order=order, kind=CertificateKind.LICENCE)
            certificate = Certificate(
                order=order, kind=CertificateKind.LICENCE, number=number, issued_at=dates[OrderStatus.COMPLETED],
                sent_at=dates[OrderStatus.COMPLETED], recipients=[user.email],
            )
            certificate.pdf.save(f"{number}.pdf", ContentFile(placeholder_pdf(number)), save=False)
            certificate.save()
        created += 1
    stdout.write(f"history: {created} past orders of {partner.name} over twelve months")
