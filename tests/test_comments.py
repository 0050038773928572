"""Messages on an order between the partner and sales administration; internal notes partners never see."""

from __future__ import annotations

import html
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from orders.errors import OrderError
from orders.models import OrderComment
from orders.selectors import order_comments
from orders.services.comments import order_comment_add
from tests.factories import UserFactory
from tests.factories_backoffice import eager_celery, recipients, submitted_order  # noqa: F401
from tests.factories_orders import OrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def shown(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def order(partner, partner_user):
    return submitted_order(partner=partner, user=partner_user)


def post_url(order):
    return reverse("order_comment_create", args=[order.public_id])


def detail_url(order):
    return reverse("order_detail", args=[order.public_id])


def test_a_partner_message_reaches_sales_administration(
    order, partner_user, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post_url(order), {"body": "Pouvez-vous accélérer ?"})
    assert response.url == detail_url(order) + "#messages"
    comment = OrderComment.objects.get()
    assert (comment.author, comment.is_internal) == (partner_user, False)
    assert recipients(mail.outbox) == [settings.SALES_ADMIN_EMAIL]
    assert "Pouvez-vous accélérer ?" in mail.outbox[0].body
    assert "/admin/orders/order/" in mail.outbox[0].body
    assert "Pouvez-vous accélérer ?" in shown(client.get(detail_url(order)))


def test_a_sales_admin_message_reaches_the_creator_and_the_submitter(
    partner, partner_user, sales_admin, client_for, django_capture_on_commit_callbacks
):
    colleague = UserFactory(partner=partner, language="en")
    order = submitted_order(partner=partner, user=colleague)
    order.created_by = partner_user
    order.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sales_admin).post(post_url(order), {"body": "Bon de commande reçu."})
    assert recipients(mail.outbox) == sorted([partner_user.email, colleague.email])
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[colleague.email].body.startswith("Hello,")
    assert by_address[partner_user.email].body.startswith("Bonjour,")


def test_internal_notes_never_reach_the_partner(
    order, partner_user, sales_admin, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sales_admin).post(post_url(order), {"body": "Client en retard de paiement.", "internal": "on"})
    note = OrderComment.objects.get()
    assert note.is_internal
    assert not mail.outbox
    assert not order_comments(order=order, user=partner_user).exists()
    assert list(order_comments(order=order, user=sales_admin)) == [note]
    assert "Client en retard de paiement." not in shown(client_for(partner_user).get(detail_url(order)))
    assert "Client en retard de paiement." in shown(client_for(sales_admin).get(detail_url(order)))
    admin_page = shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk])))
    assert "Client en retard de paiement." in admin_page and "Note interne" in admin_page


def test_a_partner_cannot_write_an_internal_note(order, partner_user, client_for):
    client_for(partner_user).post(post_url(order), {"body": "Secret ?", "internal": "on"})
    assert OrderComment.objects.get().is_internal is False
    with pytest.raises(PermissionDenied):
        order_comment_add(order=order, author=partner_user, body="x", internal=True)


def test_comment_permissions(order, client_for, outsider, cloud_member):
    url = post_url(order)
    assert client_for(None).post(url, {"body": "x"}).status_code == 302
    assert client_for(outsider).post(url, {"body": "x"}).status_code == 404
    assert client_for(cloud_member).post(url, {"body": "x"}).status_code == 403
    assert not OrderComment.objects.exists()
    with pytest.raises(PermissionDenied):
        order_comment_add(order=order, author=outsider, body="x")


def test_it_refuses_empty_messages_and_drafts(order, partner, partner_user, client_for):
    response = client_for(partner_user).post(post_url(order), {"body": "   "}, follow=True)
    assert "Écrivez un message." in shown(response)
    draft = OrderFactory(partner=partner, created_by=partner_user)
    with pytest.raises(OrderError):
        order_comment_add(order=draft, author=partner_user, body="Bonjour")
    assert not OrderComment.objects.exists()


def test_a_double_click_posts_one_message(order, partner_user, client_for):
    key = str(uuid.uuid4())
    client = client_for(partner_user)
    client.post(post_url(order), {"body": "Une fois", "submission_key": key})
    client.post(post_url(order), {"body": "Une fois", "submission_key": key})
    assert OrderComment.objects.count() == 1


def test_sales_admins_write_from_the_admin_order_page(order, client_for, sales_admin, cloud_member):
    url = reverse("admin:orders_order_comment", args=[order.pk])
    assert client_for(cloud_member).post(url, {"body": "x"}).status_code == 403
    response = client_for(sales_admin).post(url, {"body": "Note depuis l'admin", "internal": "on"})
    assert response.status_code == 302
    assert OrderComment.objects.get().is_internal


@pytest.mark.parametrize("count", [2, 12])
def test_the_order_page_query_count_does_not_grow(
    order, partner_user, sales_admin, client_for, count, django_assert_max_num_queries
):
    for i in range(count):
        order_comment_add(order=order, author=partner_user if i % 2 else sales_admin, body=f"Message {i}")
    client = client_for(partner_user)
    with django_assert_max_num_queries(16):
        assert client.get(detail_url(order)).status_code == 200
