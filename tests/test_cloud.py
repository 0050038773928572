"""The cloud team's activations: the work list, « Marquer comme activé », « Signaler un blocage », and the
stages the partner sees."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from orders.errors import InvalidTransition, OrderError
from orders.models import Activation, ActivationStatus, OrderStatus
from orders.services.activation import activation_block, activation_mark_done
from orders.services.review import order_validate
from tests.factories_backoffice import ODATA_LINES, cloud_order, eager_celery, submitted_order  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

LIST_URL = "admin:orders_activation_changelist"


def shown(response) -> str:
    return html.unescape(response.content.decode())


def work_url(activation, action):
    return reverse("admin:orders_activation_work", args=[activation.pk, action])


def handed_off(order, sales_admin) -> Activation:
    order_validate(order=order, user=sales_admin)
    from orders.services.handoff import activation_handoff

    activation = Activation.objects.get(order=order)
    activation_handoff(activation_id=activation.pk)
    activation.refresh_from_db()
    return activation


@pytest.fixture
def activation(partner, partner_user, sales_admin):
    return handed_off(cloud_order(partner=partner, user=partner_user), sales_admin)


@pytest.fixture
def odata_activation(partner, partner_user, sales_admin):
    return handed_off(cloud_order(partner=partner, user=partner_user, lines=ODATA_LINES), sales_admin)


def test_the_work_list_permissions(activation, client_for, partner_user, outsider, sales_admin, cloud_member):
    url = reverse(LIST_URL)
    assert client_for(None).get(url).status_code == 302
    assert client_for(partner_user).get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 302
    as_cloud = client_for(cloud_member).get(url)
    assert as_cloud.status_code == 200
    assert "Marquer comme activé" in shown(as_cloud)
    as_sales = client_for(sales_admin).get(url)
    assert as_sales.status_code == 200  # read-only for sales administration
    assert "Marquer comme activé" not in shown(as_sales)


def test_the_work_list_shows_what_the_cloud_team_needs(activation, client_for, cloud_member, partner):
    page = shown(client_for(cloud_member).get(reverse(LIST_URL)))
    order = activation.order
    for text in (order.number, order.customer_name, partner.name, "SAAS-ENV", "Nouveau site", "À faire"):
        assert text in page


def test_the_work_list_hides_what_is_not_to_do(partner, sales_admin, client_for, cloud_member):
    pending = cloud_order(partner=partner)
    order_validate(order=pending, user=sales_admin)  # not handed off yet (on_commit not run)
    page = shown(client_for(cloud_member).get(reverse(LIST_URL)))
    assert pending.number not in page
    assert pending.number in shown(client_for(cloud_member).get(reverse(LIST_URL), {"etat": "pending"}))


@pytest.mark.parametrize("rows", [2, 12])
def test_the_work_list_query_count_does_not_grow(
    rows, partner, sales_admin, client_for, cloud_member, django_assert_max_num_queries
):
    for _ in range(rows):
        handed_off(cloud_order(partner=partner), sales_admin)
    client = client_for(cloud_member)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(LIST_URL)).status_code == 200


def test_the_cloud_team_cannot_reach_the_orders(activation, client_for, cloud_member):
    assert client_for(cloud_member).get(reverse("admin:orders_order_changelist")).status_code == 403


def test_it_marks_an_activation_done(
    activation, client_for, cloud_member, partner_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client = client_for(cloud_member)
    assert client.get(work_url(activation, "activer")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(work_url(activation, "activer"), {})
    assert response.url == reverse(LIST_URL)
    activation.refresh_from_db()
    order = activation.order
    order.refresh_from_db()
    assert (activation.status, activation.done_by) == (ActivationStatus.DONE, cloud_member)
    assert order.status == OrderStatus.ACTIVATED
    event = order.events.get(to_status=OrderStatus.ACTIVATED)
    assert (event.from_status, event.actor) == (OrderStatus.IN_ACTIVATION, cloud_member)
    [message] = mail.outbox
    assert message.to == [partner_user.email] and "activée" in message.subject


def test_an_odata_activation_needs_its_service_addresses(odata_activation, client_for, cloud_member):
    client = client_for(cloud_member)
    page = shown(client.post(work_url(odata_activation, "activer"), {"production": "", "recette": ""}))
    assert "Indiquez l'adresse du service OData en production." in page
    page = shown(client.post(work_url(odata_activation, "activer"), {"production": "pas une adresse"}))
    assert "Saisissez une adresse web valide" in page
    odata_activation.refresh_from_db()
    assert odata_activation.status == ActivationStatus.NOTIFIED

    client.post(
        work_url(odata_activation, "activer"),
        {"production": "https://odata.example/c012345", "recette": "https://recette.odata.example/c012345"},
    )
    odata_activation.refresh_from_db()
    assert odata_activation.service_urls == {
        "production": "https://odata.example/c012345",
        "recette": "https://recette.odata.example/c012345",
    }


def test_the_service_refuses_bad_addresses(odata_activation, cloud_member):
    with pytest.raises(OrderError):
        activation_mark_done(activation=odata_activation, user=cloud_member, service_urls={})
    with pytest.raises(OrderError):
        activation_mark_done(
            activation=odata_activation, user=cloud_member, service_urls={"production": "javascript:alert(1)"}
        )
    with pytest.raises(OrderError):
        activation_mark_done(
            activation=odata_activation, user=cloud_member, service_urls={"staging": "https://x.example"}
        )


def test_a_sales_admin_cannot_mark_activations(activation, client_for, sales_admin):
    client = client_for(sales_admin)
    assert client.post(work_url(activation, "activer"), {}).status_code == 403
    assert client.post(work_url(activation, "bloquer"), {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        activation_mark_done(activation=activation, user=sales_admin)
    with pytest.raises(PermissionDenied):
        activation_block(activation=activation, user=sales_admin, reason="x")
    activation.refresh_from_db()
    assert activation.status == ActivationStatus.NOTIFIED


def test_partners_cannot_reach_the_work_views(activation, client_for, partner_user):
    assert client_for(partner_user).post(work_url(activation, "activer"), {}).status_code == 302
    activation.refresh_from_db()
    assert activation.status == ActivationStatus.NOTIFIED


def test_a_pending_activation_cannot_be_marked_done(partner, sales_admin, cloud_member):
    order = cloud_order(partner=partner)
    order_validate(order=order, user=sales_admin)
    with pytest.raises(InvalidTransition):
        activation_mark_done(activation=Activation.objects.get(order=order), user=cloud_member)


def test_it_flags_a_blocking_problem(
    activation, client_for, cloud_member, partner_user, settings, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client = client_for(cloud_member)
    page = shown(client.post(work_url(activation, "bloquer"), {"reason": ""}))
    assert "Décrivez le problème qui bloque l'activation." in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(work_url(activation, "bloquer"), {"reason": "Tenant Azure introuvable."})
    activation.refresh_from_db()
    assert (activation.status, activation.blocked_reason) == (ActivationStatus.BLOCKED, "Tenant Azure introuvable.")
    assert activation.order.status == OrderStatus.IN_ACTIVATION
    [message] = mail.outbox
    assert message.to == [settings.SALES_ADMIN_EMAIL] and "Tenant Azure introuvable." in message.body
    # The partner learns there is a problem, not the technical detail.
    partner_page = shown(client_for(partner_user).get(reverse("order_detail", args=[activation.order.public_id])))
    assert "L'activation rencontre un problème" in partner_page
    assert "Tenant Azure" not in partner_page
    # A blocked activation is still done once the problem is solved.
    client_for(cloud_member).post(work_url(activation, "activer"), {})
    activation.refresh_from_db()
    assert activation.status == ActivationStatus.DONE


def test_the_partner_sees_each_stage_with_its_time(
    partner, partner_user, sales_admin, cloud_member, client_for, django_capture_on_commit_callbacks
):
    order = cloud_order(partner=partner, user=partner_user)
    url = reverse("order_detail", args=[order.public_id])
    client = client_for(partner_user)

    page = shown(client.get(url))
    assert "Avancement" in page and "stage-current" in page and page.count("stage-done") == 1

    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)
    activation = Activation.objects.get(order=order)
    activation_mark_done(activation=activation, user=cloud_member)
    response = client.get(url)
    stages = response.context["stages"]
    assert [s.state for s in stages] == ["done", "done", "done", "current"]
    assert all(s.reached_at for s in stages[:3])
    assert stages[1].duration is not None and stages[2].duration is not None
    page = shown(response)
    assert "Certificat envoyé" in page and page.count("stage-done") == 3


def test_the_activation_stage_is_skipped_without_cloud_references(
    partner, partner_user, sales_admin, client_for
):
    order = submitted_order(partner=partner, user=partner_user)
    order_validate(order=order, user=sales_admin)
    stages = client_for(partner_user).get(reverse("order_detail", args=[order.public_id])).context["stages"]
    assert [s.state for s in stages] == ["done", "done", "skipped", "current"]


def test_a_certificate_planned_for_a_later_date_shows_that_date_not_a_time_since(
    partner, partner_user, sales_admin, client_for
):
    import datetime

    from django.utils import timezone, translation
    from django.utils.formats import date_format

    order = submitted_order(partner=partner, user=partner_user)
    order.delivery_date = timezone.localdate() + datetime.timedelta(days=10)
    order.save(update_fields=["delivery_date"])
    order_validate(order=order, user=sales_admin)
    response = client_for(partner_user).get(reverse("order_detail", args=[order.public_id]))
    certificate = response.context["stages"][-1]
    assert certificate.state == "current" and certificate.planned_on == order.delivery_date
    page = " ".join(shown(response).split())
    with translation.override("fr"):
        planned = date_format(order.delivery_date, "SHORT_DATE_FORMAT")
    assert f"Prévu le {planned} · dans 10 jours" in page
    assert "depuis" not in page
