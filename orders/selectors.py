"""Reads of orders, each scoped to the user who asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ReferenceKind
from orders.models import Order, OrderEvent, OrderLine, OrderStatus


def order_status_counts(*, user) -> dict[str, int]:
    """How many of the user's visible orders are in each status (one query)."""
    rows = Order.objects.visible_to(user).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(OrderStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def order_list(*, user) -> QuerySet[Order]:
    """The user's visible orders, newest first (the list's filters narrow it; ``order_list_values``
    reads a page of it)."""
    return Order.objects.visible_to(user).order_by("-created_at", "-id")


def order_list_values(queryset: QuerySet[Order]) -> QuerySet:
    """What a list row shows, as dicts: an order has some forty columns and four relations, and
    building them as model instances cost the list page more than its query. The catalog's labels
    come from ``catalog.references``, not from three more joins."""
    return queryset.values(
        "public_id", "number", "status", "created_at", "updated_at", "customer_name",
        "order_type_id", "generation_id", "solution_id", site_number=F("site__number"),
    )


def order_detail_queryset() -> QuerySet[Order]:
    """Orders with what the order page shows, lines and events prefetched."""
    return Order.objects.select_related(
        "partner", "created_by", "order_type", "origin", "generation", "solution", "site", "opportunity"
    ).prefetch_related("lines__reference", "events__actor")


def order_comments(*, order: Order, user) -> QuerySet:
    """The messages of an order the user may read: partners never see internal notes."""
    from orders.models import OrderComment

    return OrderComment.objects.visible_to(user).filter(order=order).select_related("author")


@dataclass(frozen=True)
class Stage:
    """One stage of an order's progress as the partner sees it."""

    key: str
    label: str
    state: str  # "done", "current", "upcoming" or "skipped"
    reached_at: datetime | None = None
    started_at: datetime | None = None
    # A current stage that waits for a date to come (the certificate's requested delivery date).
    planned_on: date | None = None
    days_left: int | None = None

    @property
    def duration(self) -> timedelta | None:
        if self.reached_at and self.started_at:
            return self.reached_at - self.started_at
        return None


_STOPPED = {OrderStatus.DRAFT, OrderStatus.RETURNED, OrderStatus.REJECTED, OrderStatus.CANCELLED}


def order_stages(*, order: Order, events, has_activation: bool, today: date | None = None) -> list[Stage]:
    """Submitted → validated → activation → certificate, with the time of each, from the order's events.

    ``events`` are the order's events in time order (prefetched by the page); the last
    entry into a status counts, so a resubmission after a correction restarts the clock.
    A certificate waiting for a requested delivery date still to come carries that date.
    """
    today = today or timezone.localdate()
    reached: dict[str, datetime] = {}
    for event in events:
        if event.to_status and event.to_status != event.from_status:
            reached[event.to_status] = event.created_at
    submitted = reached.get(OrderStatus.SUBMITTED)
    validated = reached.get(OrderStatus.VALIDATED)
    activated = reached.get(OrderStatus.ACTIVATED)
    completed = reached.get(OrderStatus.COMPLETED)
    if order.status in _STOPPED:
        submitted = submitted if order.status in (OrderStatus.REJECTED, OrderStatus.CANCELLED) else None
        validated = activated = completed = None
    rows = [
        ("submitted", _("Soumise"), submitted, None),
        ("validated", _("Validée"), validated, submitted),
        ("activation", _("Activation"), activated, validated),
        ("certificate", _("Certificat envoyé"), completed, activated or validated),
    ]
    stages: list[Stage] = []
    current_given = order.status in _STOPPED
    for key, label, at, since in rows:
        if key == "activation" and not has_activation and validated:
            stages.append(Stage(key, label, "skipped"))
            continue
        if at:
            stages.append(Stage(key, label, "done", at, since))
        elif not current_given:
            planned_on = order.delivery_date if key == "certificate" else None
            if planned_on and planned_on > today:
                days_left = (planned_on - today).days
                stages.append(
                    Stage(key, label, "current", started_at=since, planned_on=planned_on, days_left=days_left)
                )
            else:
                stages.append(Stage(key, label, "current", None, since))
            current_given = True
        else:
            stages.append(Stage(key, label, "upcoming"))
    return stages


def orders_awaiting_certificate(*, today: date) -> QuerySet[Order]:
    """The orders due for their certificate (``certificates`` issues them): activated by the cloud team,
    or validated without an activation; and the requested delivery date has come (an order without
    one, none having been asked for, is due at once)."""
    return Order.objects.filter(
        Q(status=OrderStatus.ACTIVATED) | Q(status=OrderStatus.VALIDATED, activation__isnull=True),
        Q(delivery_date__lte=today) | Q(delivery_date__isnull=True),
    )


def _completed_odata_lines(*, excluding_order_id: int | None):
    """The OData lines of completed orders, each with its order's completion date, oldest first:
    for each site and target the last one is the connector active there."""
    completed_at = (
        OrderEvent.objects.filter(order=OuterRef("order_id"), to_status=OrderStatus.COMPLETED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        OrderLine.objects.filter(order__status=OrderStatus.COMPLETED, reference__kind=ReferenceKind.ODATA)
        .exclude(order_id=excluding_order_id)
        .annotate(completed_at=Subquery(completed_at))
        .order_by("completed_at", "order_id", "id")
    )


def site_active_odata(*, site, excluding_order_id: int | None = None) -> dict[str, str]:
    """The site's active OData connectors, {target: quota}, derived from its completed orders (one query).

    Nothing is copied onto the site: a connector is active because a completed
    order carried it; for each target the most recently completed order wins
    (a move from standard to extended quota replaces the standard one).
    """
    return sites_active_odata(site_ids=[site.pk], excluding_order_id=excluding_order_id).get(site.pk, {})


def sites_active_odata(*, site_ids, excluding_order_id: int | None = None) -> dict[int, dict[str, str]]:
    """``site_active_odata`` of several sites at once, {site id: {target: quota}} (one query)."""
    rows = (
        _completed_odata_lines(excluding_order_id=excluding_order_id)
        .filter(order__site_id__in=list(site_ids))
        .values_list("order__site_id", "reference__odata_target", "reference__odata_quota")
    )
    active: dict[int, dict[str, str]] = {}
    for site_id, target, quota in rows:
        active.setdefault(site_id, {})[target] = quota
    return active


#: What a partner tells again and again for the same end customer: its main contact, the certificate's recipients.
SITE_MEMORY_FIELDS = (
    "contact_civility",
    "contact_first_name",
    "contact_last_name",
    "contact_function",
    "contact_email",
    "contact_phone",
    "certificate_recipients",
)


def site_last_answers(*, site, partner_id: int, excluding_order_id: int | None = None) -> dict:
    """The contact and recipients of the partner's latest order on ``site`` that had a contact (empty if none):
    a new order for the same site starts from them, most of the time the same people."""
    previous = (
        Order.objects.filter(site=site, partner_id=partner_id)
        .exclude(contact_last_name="")
        .exclude(pk=excluding_order_id)
        .order_by("-created_at", "-id")
        .values(*SITE_MEMORY_FIELDS)
        .first()
    )
    return previous or {}


def partner_sites_active_odata(*, partner_id: int, excluding_order_id: int | None = None) -> dict[int, dict[str, str]]:
    """``sites_active_odata`` of every site of a partner that has an active connector (one query over
    the partner's completed OData lines: few, whatever the number of sites)."""
    rows = (
        _completed_odata_lines(excluding_order_id=excluding_order_id)
        .filter(order__site__partner_id=partner_id)
        .values_list("order__site_id", "reference__odata_target", "reference__odata_quota")
    )
    active: dict[int, dict[str, str]] = {}
    for site_id, target, quota in rows:
        active.setdefault(site_id, {})[target] = quota
    return active
