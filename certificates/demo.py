"""Demo OData activation orders at every stage, on SaaS sites of « Demo Intégration » (idempotent).

Uses the demo sites of ``sites/demo.py`` (SaaS ones whose solution offers OData); creates
its own (C90000x) only if those are missing. On-premise demo sites come from ``sites/demo.py``:
their page explains why OData is not offered.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from catalog.models import ProductReference, Solution
from certificates.demo_history import seed_history
from mybusiness.demo import DEMO_PARTNER, OTHER_PARTNER
from mybusiness.models import Partner, User
from orders.models import Activation, ActivationStatus, Order, OrderLine, OrderStatus
from orders.services.lifecycle import transition
from orders.services.numbering import next_order_number
from orders.services.odata_request import order_odata_request_create
from sites.models import Hosting, Site, SiteStatus

# The stage each demo order is taken to, in the order of the sites used.
STAGES = [
    OrderStatus.DRAFT,
    OrderStatus.SUBMITTED,
    OrderStatus.VALIDATED,
    OrderStatus.IN_ACTIVATION,
    OrderStatus.ACTIVATED,
    OrderStatus.COMPLETED,
]
PATH = [OrderStatus.SUBMITTED, OrderStatus.VALIDATED, OrderStatus.IN_ACTIVATION, OrderStatus.ACTIVATED]
MESSAGES = {
    OrderStatus.SUBMITTED: gettext_noop("Commande soumise."),
    OrderStatus.VALIDATED: gettext_noop("Commande validée."),
    OrderStatus.IN_ACTIVATION: gettext_noop("Activation transmise à l'équipe cloud."),
    OrderStatus.ACTIVATED: gettext_noop("Activation faite par l'équipe cloud."),
}


def _odata_sites(partner: Partner) -> list[Site]:
    candidates = (
        Site.objects.filter(partner=partner, hosting=Hosting.SAAS, status=SiteStatus.ACTIVE, solution__isnull=False)
        .select_related("generation", "solution")
        .order_by("number")
    )
    sites = [site for site in candidates if site.solution.odata_targets][: len(STAGES)]
    solution = Solution.objects.get(code="ONE_ERP_CRM")
    for index in range(len(sites), len(STAGES)):
        site, _created = Site.objects.get_or_create(
            number=f"C9{index + 1:05d}",
            defaults={
                "partner": partner,
                "company_name": f"Client OData démo {index + 1}",
                "city": "Lyon",
                "postal_code": "69002",
                "hosting": Hosting.SAAS,
                "generation": solution.generation,
                "solution": solution,
            },
        )
        sites.append(site)
    return sites


def _take_to(order: Order, stage: str, *, partner_user: User, staff: User | None, cloud: User | None) -> None:
    if stage == OrderStatus.DRAFT:
        return

    def number(locked: Order) -> list[str]:
        locked.number = next_order_number()
        locked.submitted_at = timezone.now()
        return ["number", "submitted_at"]

    for step in PATH:
        actor = partner_user if step == OrderStatus.SUBMITTED else (cloud if step == OrderStatus.ACTIVATED else staff)
        transition(
            order=order,
            actor=actor,
            allowed_from=[order.status],
            to=step,
            message=MESSAGES[step],
            before_save=number if step == OrderStatus.SUBMITTED else None,
        )
        if step == OrderStatus.VALIDATED:
            Activation.objects.create(order=order, status=ActivationStatus.PENDING)
        if step == OrderStatus.IN_ACTIVATION:
            Activation.objects.filter(order=order).update(status=ActivationStatus.NOTIFIED, notified_at=timezone.now())
        if step == OrderStatus.ACTIVATED:
            slug = order.site.number.lower()
            Activation.objects.filter(order=order).update(
                status=ActivationStatus.DONE,
                done_at=timezone.now(),
                done_by=cloud,
                service_urls={
                    "production": f"https://odata-{slug}.cloud.divalto.example/prod",
                    "recette": f"https://odata-{slug}.cloud.divalto.example/recette",
                },
            )
        if step == stage:
            return
    _complete_with_certificate(order)


def _complete_with_certificate(order: Order) -> None:
    # The issuing service, without its email: the demo sends nothing to the example addresses.
    from certificates.services import _issue_one, certificate_kinds_for

    def issue(locked: Order) -> list[str]:
        for kind in certificate_kinds_for(locked):
            _issue_one(order=locked, kind=kind, now=timezone.now())
        return []

    transition(
        order=order,
        actor=None,
        allowed_from=[OrderStatus.ACTIVATED],
        to=OrderStatus.COMPLETED,
        message=gettext_noop("Certificat émis et envoyé (démo)."),
        before_save=issue,
    )
    order.certificates.update(sent_at=timezone.now())


@transaction.atomic
def seed_demo(*, stdout) -> None:
    partner = Partner.objects.get(code=DEMO_PARTNER[0])
    partner_user = partner.users.filter(is_active=True).order_by("email").first()
    staff = User.objects.filter(email="adv@demo.example").first()
    cloud = User.objects.filter(email="cloud@demo.example").first()
    created = 0
    for site, stage in zip(_odata_sites(partner), STAGES, strict=False):
        has_odata = OrderLine.objects.filter(order__site=site, reference__kind="odata").exists()
        if has_odata:
            continue
        order, _resumed = order_odata_request_create(user=partner_user, site=site)
        if not order.lines.exists():
            code = "SAAS IO ODATA" if "erp" in site.solution.odata_targets else "SAAS WONE ODATA"
            OrderLine.objects.create(order=order, reference=ProductReference.objects.get(code=code), quantity=1)
        # Delivered today for the completed one; a week ahead for the others, so the schedule shows.
        days = 0 if stage == OrderStatus.COMPLETED else 7
        Order.objects.filter(pk=order.pk).update(
            delivery_date=timezone.localdate() + datetime.timedelta(days=days),
            certificate_recipients=["dsi@client-odata.example", partner_user.email],
        )
        order.refresh_from_db()
        _take_to(order, stage, partner_user=partner_user, staff=staff, cloud=cloud)
        created += 1
    stdout.write(f"certificates: {created} OData demo orders created (draft → completed with certificate)")
    seed_history(partner=Partner.objects.get(code=OTHER_PARTNER[0]), staff=staff, cloud=cloud, stdout=stdout)
