"""R10: every status-changing service × every status it could meet, and the services' own permission checks.

Only the allowed pairs (each table below is the specification, written once) succeed; every other pair
raises the domain error and changes nothing: the status, the events, the outbox. The orders, their
activations, the site change requests and the certificates. Then each service called directly by every role
it must refuse: the views check the same first, so only here are the services' own checks reached.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certificates.models import Certificate
from certificates.services import certificate_resend, certificates_issue_for_order
from mybusiness.models import OutboxEmail, User
from mybusiness.roles import Role
from mybusiness.services import partner_user_invite, partner_user_set_active
from orders.errors import OrderError
from orders.models import Activation, ActivationStatus, Order, OrderEvent, OrderStatus
from orders.services.activation import activation_block, activation_mark_done
from orders.services.cancellation import order_cancel
from orders.services.drafts import order_draft_create
from orders.services.ownership import release, take
from orders.services.review import order_reject, order_return_for_correction, order_validate
from orders.services.submission import order_submit
from sites.models import ChangeRequestStatus, FieldDecision, SiteChangeRequest
from sites.services import SiteChangeRequestError, site_change_request_create, site_change_request_review
from tests.factories import SalesAdminFactory, UserFactory
from tests.factories_backoffice import cloud_order, eager_celery, submitted_order  # noqa: F401
from tests.factories_sites import SiteFactory
from tests.factories_steps import complete_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

S = OrderStatus
# service name: (the statuses it may start from, how it is called: (order, partner_user, sales_admin) -> ...)
SERVICES = {
    "submit": ({S.DRAFT, S.RETURNED}, lambda order, partner, adv: order_submit(order=order, user=partner)),
    "validate": ({S.SUBMITTED}, lambda order, partner, adv: order_validate(order=order, user=adv)),
    "reject": ({S.SUBMITTED}, lambda order, partner, adv: order_reject(order=order, user=adv, reason="Non.")),
    "return": ({S.SUBMITTED}, lambda order, partner, adv: order_return_for_correction(order=order, user=adv,
                                                                                      reason="À revoir.")),
    "cancel": ({S.SUBMITTED, S.RETURNED}, lambda order, partner, adv: order_cancel(order=order, user=partner)),
}


def snapshot(order: Order) -> tuple:
    order.refresh_from_db()
    return order.status, order.updated_at, OrderEvent.objects.filter(order=order).count(), OutboxEmail.objects.count()


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_only_the_allowed_pairs_change_the_order(service, status, partner, partner_user, sales_admin):
    allowed, call = SERVICES[service]
    # A complete order (every service's other rules hold), put in the status under test.
    order = complete_draft(partner=partner, user=partner_user)
    Order.objects.filter(pk=order.pk).update(status=status, number="" if status == S.DRAFT else "CMD-2026-900001")
    order.refresh_from_db()
    before = snapshot(order)
    if status in allowed:
        call(order, partner_user, sales_admin)
        assert snapshot(order)[0] != status
    else:
        with pytest.raises(OrderError):
            call(order, partner_user, sales_admin)
        assert snapshot(order) == before


# --- Activations: the cloud team marks done or blocks ----------------------------------------------------

A = ActivationStatus
URLS = {"production": "https://odata.example/prod"}
ACTIVATION_SERVICES = {
    "mark_done": ({A.NOTIFIED, A.BLOCKED}, lambda activation, cloud: activation_mark_done(
        activation=activation, user=cloud, service_urls=URLS)),
    "block": ({A.NOTIFIED}, lambda activation, cloud: activation_block(
        activation=activation, user=cloud, reason="Serveur saturé.")),
}


def activation_snapshot(activation: Activation) -> tuple:
    activation.refresh_from_db()
    return (activation.status, activation.order.status, OrderEvent.objects.filter(order=activation.order_id).count(),
            OutboxEmail.objects.count())


@pytest.mark.parametrize("status", list(A))
@pytest.mark.parametrize("service", sorted(ACTIVATION_SERVICES))
def test_only_the_allowed_activation_pairs_change_it(service, status, partner, partner_user, cloud_member):
    allowed, call = ACTIVATION_SERVICES[service]
    order = cloud_order(partner=partner, user=partner_user)
    Order.objects.filter(pk=order.pk).update(status=S.IN_ACTIVATION)
    activation = Activation.objects.create(order=order, status=status)
    before = activation_snapshot(activation)
    if status in allowed:
        call(activation, cloud_member)
        assert activation_snapshot(activation)[0] != status
    else:
        with pytest.raises(OrderError):
            call(activation, cloud_member)
        assert activation_snapshot(activation) == before


@pytest.mark.parametrize("order_status", [status for status in S if status != S.IN_ACTIVATION])
def test_an_activation_is_not_marked_done_unless_its_order_is_in_activation(order_status, partner, cloud_member):
    order = cloud_order(partner=partner)
    Order.objects.filter(pk=order.pk).update(status=order_status)
    activation = Activation.objects.create(order=order, status=A.NOTIFIED)
    before = activation_snapshot(activation)
    with pytest.raises(OrderError):
        activation_mark_done(activation=activation, user=cloud_member, service_urls=URLS)
    assert activation_snapshot(activation) == before


# --- Site change requests: reviewed once ------------------------------------------------------------------


@pytest.mark.parametrize("status", list(ChangeRequestStatus))
def test_only_a_pending_change_request_is_reviewed(status, partner, partner_user, sales_admin):
    site = SiteFactory(partner=partner, city="Lyon")
    change_request = site_change_request_create(site=site, user=partner_user, data={"city": "Villeurbanne"})
    SiteChangeRequest.objects.filter(pk=change_request.pk).update(status=status)
    decisions = {"city": (FieldDecision.APPROVED, "")}
    outbox = OutboxEmail.objects.count()
    if status == ChangeRequestStatus.PENDING:
        site_change_request_review(change_request=change_request, reviewer=sales_admin, decisions=decisions)
        site.refresh_from_db()
        assert site.city == "Villeurbanne"
    else:
        with pytest.raises(SiteChangeRequestError):
            site_change_request_review(change_request=change_request, reviewer=sales_admin, decisions=decisions)
        change_request.refresh_from_db()
        site.refresh_from_db()
        assert (change_request.status, site.city, OutboxEmail.objects.count()) == (status, "Lyon", outbox)


# --- Certificates: issued for a validated order without activation, or an activated one ------------------

CERTIFIABLE = {S.VALIDATED, S.ACTIVATED}


@pytest.mark.parametrize("status", list(S))
def test_certificates_are_issued_only_from_the_allowed_statuses(status, partner, partner_user):
    order = submitted_order(partner=partner, user=partner_user)
    Order.objects.filter(pk=order.pk).update(status=status)
    before = snapshot(order), Certificate.objects.count()
    if status in CERTIFIABLE:
        assert certificates_issue_for_order(order=order)
        order.refresh_from_db()
        assert order.status == S.COMPLETED
    else:
        # The periodic task calls it for any order: an order not due gets nothing, quietly.
        assert certificates_issue_for_order(order=order) == []
        assert (snapshot(order), Certificate.objects.count()) == before


# --- The services' own permission checks, reached directly ---------------------------------------------------

REFUSED = (PermissionDenied, OrderError, ValidationError)


@pytest.fixture
def roles(partner_user, partner_admin, outsider, sales_admin, cloud_member):
    gone = SalesAdminFactory(email="gone@vendor.example", is_active=False)
    return {"partner_user": partner_user, "partner_admin": partner_admin, "outsider": outsider,
            "sales_admin": sales_admin, "cloud": cloud_member, "inactive_sales_admin": gone}


def everything_of(partner_user) -> tuple:
    """What any of the services below could change: statuses, owners, events, emails, sites, certificates."""
    return (
        sorted(Order.objects.values_list("pk", "status", "assigned_to_id")),
        sorted(Activation.objects.values_list("pk", "status", "assigned_to_id")),
        sorted(SiteChangeRequest.objects.values_list("pk", "status")),
        OrderEvent.objects.count(), OutboxEmail.objects.count(), Certificate.objects.count(),
        sorted(User.objects.values_list("pk", "is_active", "session_generation")),
    )


# service: (the roles allowed, how it is called: (world, user) -> ...)
GUARDED = {
    "order_validate": ({"sales_admin"}, lambda w, u: order_validate(order=w["submitted"], user=u)),
    "order_reject": ({"sales_admin"}, lambda w, u: order_reject(order=w["submitted"], user=u, reason="Non.")),
    "order_return": ({"sales_admin"}, lambda w, u: order_return_for_correction(order=w["submitted"], user=u,
                                                                              reason="À revoir.")),
    "order_cancel": ({"partner_user", "partner_admin"}, lambda w, u: order_cancel(order=w["submitted"], user=u)),
    "order_take": ({"sales_admin"}, lambda w, u: take(row=w["submitted"], user=u, seen_owner_id=None)),
    "order_release": ({"sales_admin"}, lambda w, u: release(row=w["taken"], user=u)),
    "activation_take": ({"cloud"}, lambda w, u: take(row=w["activation"], user=u, seen_owner_id=None)),
    "activation_mark_done": ({"cloud"}, lambda w, u: activation_mark_done(activation=w["activation"], user=u,
                                                                         service_urls=URLS)),
    "activation_block": ({"cloud"}, lambda w, u: activation_block(activation=w["activation"], user=u,
                                                                 reason="Serveur saturé.")),
    "change_request_review": ({"sales_admin"}, lambda w, u: site_change_request_review(
        change_request=w["change_request"], reviewer=u, decisions={"city": (FieldDecision.APPROVED, "")})),
    "certificate_resend": ({"sales_admin"}, lambda w, u: certificate_resend(certificate=w["certificate"], user=u,
                                                                           reason="Perdu.")),
    "draft_create": ({"partner_user", "partner_admin", "outsider"}, lambda w, u: order_draft_create(user=u)),
    "partner_user_invite": ({"partner_admin", "outsider"}, lambda w, u: partner_user_invite(
        admin=u, email="new@own.example", first_name="N", last_name="Ew", role=Role.PARTNER_USER)),
    "partner_user_deactivate": ({"partner_admin"}, lambda w, u: partner_user_set_active(
        admin=u, user=w["colleague"], active=False)),
}


@pytest.fixture
def world(partner, partner_user, sales_admin):
    submitted = submitted_order(partner=partner, user=partner_user)
    taken = submitted_order(partner=partner, user=partner_user)
    take(row=taken, user=sales_admin, seen_owner_id=None)
    in_activation = cloud_order(partner=partner, user=partner_user)
    Order.objects.filter(pk=in_activation.pk).update(status=S.IN_ACTIVATION)
    activation = Activation.objects.create(order=in_activation, status=A.NOTIFIED)
    site = SiteFactory(partner=partner, city="Lyon")
    change_request = site_change_request_create(site=site, user=partner_user, data={"city": "Villeurbanne"})
    done = submitted_order(partner=partner, user=partner_user)
    Order.objects.filter(pk=done.pk).update(status=S.VALIDATED)
    certificate = certificates_issue_for_order(order=done)[0]
    colleague = UserFactory(partner=partner)
    return {"submitted": submitted, "taken": taken, "activation": activation, "change_request": change_request,
            "certificate": certificate, "colleague": colleague}


@pytest.mark.parametrize("service", sorted(GUARDED))
def test_each_service_refuses_every_role_but_its_own_and_changes_nothing(service, world, roles, partner_user):
    allowed, call = GUARDED[service]
    for role, user in roles.items():
        if role in allowed:
            continue
        before = everything_of(partner_user)
        with pytest.raises(REFUSED):
            call(world, user)
        assert everything_of(partner_user) == before, (service, role)
    # The allowed role succeeds on the same world (the table is not refusing everything).
    role = sorted(allowed)[0]
    call(world, roles[role])
