"""The back office's queues: the sales administration's « À traiter » (oldest first, age and due date, late
rows marked, drafts never by default) and the cloud team's activations (blocked on top), each with one owner
at a time: taken, released, taken over after a confirmation; two people taking at once, one wins."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from orders.errors import OrderError
from orders.models import Activation, ActivationStatus, Order, OrderStatus
from orders.services.ownership import release, take
from tests.factories import SalesAdminFactory
from tests.factories_backoffice import submitted_order
from tests.factories_orders import OrderFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:orders_order_changelist")
ACTIVATIONS = reverse("admin:orders_activation_changelist")


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())


def results(response) -> str:
    """The list's rows, as text."""
    page = response.content.decode()
    if 'id="result_list"' not in page:
        return ""
    table = page.split('id="result_list"')[1].split("</table>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(table)).split())


def numbers(response) -> list[str]:
    return list(dict.fromkeys(re.findall(r"CMD-\d{4}-\d{6}", results(response))))


def aged(order: Order, days: float) -> Order:
    Order.objects.filter(pk=order.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=days))
    return order


@pytest.fixture
def queue(partner, partner_user):
    newest = aged(submitted_order(partner=partner, user=partner_user), 0.1)
    oldest = aged(submitted_order(partner=partner, user=partner_user), 8)
    middle = aged(submitted_order(partner=partner, user=partner_user), 1)
    OrderFactory(partner=partner, created_by=partner_user)  # a draft
    validated = submitted_order(partner=partner, user=partner_user)
    Order.objects.filter(pk=validated.pk).update(status=OrderStatus.VALIDATED)
    return {"oldest": oldest, "middle": middle, "newest": newest, "validated": validated}


def test_the_list_opens_on_the_queue_oldest_first_without_drafts(client_for, sales_admin, queue):
    response = client_for(sales_admin).get(QUEUE)
    assert numbers(response) == [queue[name].number for name in ("oldest", "middle", "newest")]
    rows = results(response)
    assert "Brouillon" not in rows
    assert "En retard" in rows and "échéance" in rows and "depuis 8 j" in rows


def test_every_order_but_drafts_on_demand_and_drafts_only_by_name(client_for, sales_admin, queue):
    client = client_for(sales_admin)
    everything = client.get(QUEUE, {"statut": "toutes"})
    assert queue["validated"].number in everything.content.decode()
    assert "Brouillon" not in results(everything)
    assert "Brouillon" in results(client.get(QUEUE, {"statut": "brouillons"}))


def test_the_late_filter_keeps_the_orders_past_their_due_date(client_for, sales_admin, queue):
    late = numbers(client_for(sales_admin).get(QUEUE, {"retard": "oui"}))
    assert late == [queue["oldest"].number]


def test_taking_an_order_makes_it_mine_and_colleagues_see_who_has_it(client_for, sales_admin, queue):
    client = client_for(sales_admin)
    response = client.post(reverse("admin:orders_order_take", args=[queue["oldest"].pk]), {"vu": ""},
                           HTTP_REFERER="http://testserver" + QUEUE)
    assert response.status_code == 302
    queue["oldest"].refresh_from_db()
    assert queue["oldest"].assigned_to == sales_admin
    assert "Commande prise en charge par" in " ".join(e.text for e in queue["oldest"].events.all())
    mine = numbers(client.get(QUEUE, {"attribution": "moi"}))
    assert mine == [queue["oldest"].number]
    nobody = numbers(client.get(QUEUE, {"attribution": "personne"}))
    assert queue["oldest"].number not in nobody and len(nobody) == 2
    colleague = SalesAdminFactory(email="colleague@vendor.example")
    colleague.groups.set(sales_admin.groups.all())
    page = text(client_for(colleague).get(QUEUE))
    assert str(sales_admin) in page and "Reprendre" in page


def test_two_people_taking_at_once_one_wins_and_the_other_is_told(sales_admin, queue):
    colleague = SalesAdminFactory(email="colleague@vendor.example")
    colleague.groups.set(sales_admin.groups.all())
    order = queue["oldest"]
    # Both saw it unassigned; the first UPDATE wins, the second finds it changed.
    take(row=Order.objects.get(pk=order.pk), user=sales_admin, seen_owner_id=None)
    with pytest.raises(OrderError, match="déjà prise en charge par"):
        take(row=Order.objects.get(pk=order.pk), user=colleague, seen_owner_id=None)
    order.refresh_from_db()
    assert order.assigned_to == sales_admin


def test_taking_over_asks_first_then_records_it(client_for, sales_admin, queue):
    colleague = SalesAdminFactory(email="colleague@vendor.example")
    colleague.groups.set(sales_admin.groups.all())
    order = queue["oldest"]
    take(row=order, user=sales_admin, seen_owner_id=None)
    url = reverse("admin:orders_order_take_over", args=[order.pk])
    confirm = client_for(colleague).get(url, {"vu": sales_admin.pk})
    assert "est prise en charge par" in text(confirm)
    order.refresh_from_db()
    assert order.assigned_to == sales_admin  # nothing changes before the confirmation
    client_for(colleague).post(url, {"vu": sales_admin.pk})
    order.refresh_from_db()
    assert order.assigned_to == colleague
    assert any("reprise par" in event.text for event in order.events.all())


def test_only_the_owner_releases(sales_admin, queue):
    colleague = SalesAdminFactory(email="colleague@vendor.example")
    colleague.groups.set(sales_admin.groups.all())
    order = take(row=queue["oldest"], user=sales_admin, seen_owner_id=None)
    with pytest.raises(OrderError, match="seule cette personne"):
        release(row=order, user=colleague)
    release(row=order, user=sales_admin)
    order.refresh_from_db()
    assert order.assigned_to is None


def test_who_may_take_what(sales_admin, cloud_member, partner_user, queue):
    with pytest.raises(PermissionDenied):
        take(row=queue["oldest"], user=cloud_member, seen_owner_id=None)
    with pytest.raises(PermissionDenied):
        take(row=queue["oldest"], user=partner_user, seen_owner_id=None)
    activation = Activation.objects.create(order=queue["validated"], status=ActivationStatus.NOTIFIED)
    with pytest.raises(PermissionDenied):
        take(row=activation, user=sales_admin, seen_owner_id=None)
    take(row=activation, user=cloud_member, seen_owner_id=None)
    with pytest.raises(OrderError):  # a validated order is no longer waiting for review
        take(row=queue["validated"], user=sales_admin, seen_owner_id=None)


def test_the_cloud_queue_puts_blocked_ones_on_top_with_their_reason(client_for, cloud_member, partner, partner_user):
    rows = []
    for days, status in ((5, ActivationStatus.NOTIFIED), (1, ActivationStatus.BLOCKED), (3, ActivationStatus.NOTIFIED)):
        order = submitted_order(partner=partner, user=partner_user)
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.IN_ACTIVATION)
        rows.append(Activation.objects.create(
            order=order, status=status, created_at=timezone.now() - datetime.timedelta(days=days),
            blocked_reason="Sous-domaine déjà pris." if status == ActivationStatus.BLOCKED else "",
        ))
    response = client_for(cloud_member).get(ACTIVATIONS)
    assert numbers(response) == [rows[1].order.number, rows[0].order.number, rows[2].order.number]
    page = text(response)
    assert "Sous-domaine déjà pris." in page and "Prendre en charge" in page and "En retard" in page


@pytest.mark.parametrize("rows", [2, 12])
def test_the_queues_run_a_fixed_number_of_queries(sales_admin, cloud_member, partner, partner_user, rows,
                                                   django_assert_max_num_queries):
    from tests.otp import Client

    for index in range(rows):
        order = aged(submitted_order(partner=partner, user=partner_user), index)
        take(row=order, user=sales_admin, seen_owner_id=None) if index % 2 else None
        done = submitted_order(partner=partner, user=partner_user)
        Activation.objects.create(order=done, status=ActivationStatus.NOTIFIED)
    client, cloud = Client(), Client()
    client.force_login(sales_admin)
    cloud.force_login(cloud_member)
    # Session, user, the session's second-factor device, groups' permissions, savepoints, the page, its
    # count, the filters' choices (types, generations): the same for 2 rows or 12.
    with django_assert_max_num_queries(12):
        assert client.get(QUEUE).status_code == 200
    with django_assert_max_num_queries(12):
        response = cloud.get(ACTIVATIONS)
        assert response.status_code == 200
