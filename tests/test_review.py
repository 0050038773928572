"""Sales administration's review: validate, reject, return for correction, cancel; the admin order list and page."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mybusiness.paginators import CappedCountPaginator
from orders.errors import InvalidTransition, OrderError
from orders.models import Activation, Order, OrderEvent, OrderStatus
from orders.selectors import orders_awaiting_certificate
from orders.services.cancellation import order_cancel
from orders.services.review import order_reject, order_return_for_correction, order_validate
from orders.services.submission import order_submit
from orders.wizard import engine
from tests.concurrency import at_once
from tests.factories import PartnerFactory, UserFactory
from tests.factories_backoffice import (  # noqa: F401
    cloud_order,
    eager_celery,
    recipients,
    submitted_order,
)
from tests.factories_orders import OrderFactory
from tests.factories_steps import complete_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


def shown(response) -> str:
    return html.unescape(response.content.decode())


def review_url(order, action):
    return reverse("admin:orders_order_review", args=[order.pk, action])


@pytest.fixture
def order(partner, partner_user):
    return submitted_order(partner=partner, user=partner_user)


# -- validate -----------------------------------------------------------------


def test_it_validates_a_submitted_order(order, sales_admin, partner_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_validate(order=order, user=sales_admin)
    order.refresh_from_db()
    assert order.status == OrderStatus.VALIDATED
    event = order.events.get(to_status=OrderStatus.VALIDATED)
    assert (event.actor, event.from_status) == (sales_admin, OrderStatus.SUBMITTED)
    assert recipients(mail.outbox) == [partner_user.email]
    assert order.number in mail.outbox[0].subject
    assert reverse("order_detail", args=[order.public_id]) in mail.outbox[0].body


def test_an_order_without_cloud_references_stays_validated_for_the_certificate(order, sales_admin):
    order.delivery_date = timezone.localdate()
    order.save()
    order_validate(order=order, user=sales_admin)
    order.refresh_from_db()
    assert order.status == OrderStatus.VALIDATED
    assert not Activation.objects.filter(order=order).exists()
    assert list(orders_awaiting_certificate(today=timezone.localdate())) == [order]
    assert not orders_awaiting_certificate(today=timezone.localdate() - datetime.timedelta(days=1)).exists()


def test_it_refuses_to_validate_twice(order, sales_admin):
    order_validate(order=order, user=sales_admin)
    with pytest.raises(InvalidTransition):
        order_validate(order=order, user=sales_admin)
    assert order.events.filter(to_status=OrderStatus.VALIDATED).count() == 1


@pytest.mark.parametrize("status", [OrderStatus.DRAFT, OrderStatus.RETURNED, OrderStatus.REJECTED,
                                    OrderStatus.CANCELLED, OrderStatus.IN_ACTIVATION])
def test_it_reviews_only_submitted_orders(order, sales_admin, status):
    Order.objects.filter(pk=order.pk).update(status=status)
    for review in (
        lambda: order_validate(order=order, user=sales_admin),
        lambda: order_reject(order=order, user=sales_admin, reason="Non"),
        lambda: order_return_for_correction(order=order, user=sales_admin, reason="À revoir"),
    ):
        with pytest.raises(InvalidTransition):
            review()
    order.refresh_from_db()
    assert order.status == status


def test_the_cloud_team_and_partners_cannot_review(order, cloud_member, partner_user):
    for user in (cloud_member, partner_user):
        with pytest.raises(PermissionDenied):
            order_validate(order=order, user=user)
        with pytest.raises(PermissionDenied):
            order_reject(order=order, user=user, reason="Non")
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


# -- reject and return ----------------------------------------------------------


def test_a_rejection_needs_a_reason(order, sales_admin):
    with pytest.raises(OrderError, match="motif du refus"):
        order_reject(order=order, user=sales_admin, reason="   ")
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_it_rejects_with_a_reason_the_partner_reads(
    order, sales_admin, partner_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order_reject(order=order, user=sales_admin, reason="Le site est fermé depuis 2024.")
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED
    assert "Le site est fermé depuis 2024." in mail.outbox[0].body
    assert recipients(mail.outbox) == [partner_user.email]
    page = shown(client_for(partner_user).get(reverse("order_detail", args=[order.public_id])))
    assert "Commande refusée par l'administration des ventes" in page
    assert "Le site est fermé depuis 2024." in page


def test_a_return_needs_a_reason(order, sales_admin):
    with pytest.raises(OrderError):
        order_return_for_correction(order=order, user=sales_admin, reason="")


def test_a_returned_order_is_editable_and_resubmitted(
    partner, partner_user, sales_admin, client_for, django_capture_on_commit_callbacks
):
    # Submitted through the real submission service, so that its resubmission path is the one tested.
    order = complete_draft(partner=partner, user=partner_user)
    order_submit(order=order, user=partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        order_return_for_correction(order=order, user=sales_admin, reason="Ajoutez le bon de commande signé.")
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED and order.is_editable
    assert "Ajoutez le bon de commande signé." in mail.outbox[-1].body
    client = client_for(partner_user)
    page = shown(client.get(reverse("order_detail", args=[order.public_id])))
    assert "Commande renvoyée pour correction" in page and "Corriger la commande" in page
    # The reason on every step corrected, and a header saying the order is being corrected (journeys.md, J7).
    for state in engine.step_states(order):
        if state.applicable:
            step_page = shown(client.get(reverse("order_wizard", args=[order.public_id, state.step.identifier])))
            assert "Ajoutez le bon de commande signé." in step_page, state.step.identifier
            assert "En correction" in step_page and "Brouillon enregistré" not in step_page

    order_submit(order=order, user=partner_user)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    last_two = list(order.events.order_by("-created_at", "-id")[:2])
    assert [e.to_status for e in last_two] == [OrderStatus.SUBMITTED, OrderStatus.RETURNED]
    assert last_two[0].message == "Commande soumise à nouveau après correction."


# -- cancel ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [OrderStatus.SUBMITTED, OrderStatus.RETURNED])
def test_the_partner_cancels_before_validation(
    order, partner_user, client_for, status, settings, django_capture_on_commit_callbacks
):
    Order.objects.filter(pk=order.pk).update(status=status)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(partner_user).post(reverse("order_cancel", args=[order.public_id]))
    assert response.url == reverse("order_detail", args=[order.public_id])
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.events.filter(to_status=OrderStatus.CANCELLED, actor=partner_user).count() == 1
    assert recipients(mail.outbox) == [settings.SALES_ADMIN_EMAIL]


@pytest.mark.parametrize("status", [OrderStatus.VALIDATED, OrderStatus.IN_ACTIVATION, OrderStatus.REJECTED])
def test_it_refuses_to_cancel_after_validation(order, partner_user, status):
    Order.objects.filter(pk=order.pk).update(status=status)
    with pytest.raises(InvalidTransition):
        order_cancel(order=order, user=partner_user)


def test_a_draft_is_deleted_not_cancelled(partner, partner_user):
    draft = OrderFactory(partner=partner, created_by=partner_user)
    with pytest.raises(InvalidTransition, match="supprimez-le"):
        order_cancel(order=draft, user=partner_user)


def test_cancel_permissions(order, client_for, outsider, sales_admin, cloud_member):
    url = reverse("order_cancel", args=[order.public_id])
    assert client_for(None).post(url).status_code == 302
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(sales_admin).post(url).status_code == 403
    assert client_for(cloud_member).post(url).status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_the_cancel_button_shows_only_when_cancellable(order, partner_user, client_for, sales_admin):
    client = client_for(partner_user)
    assert "Annuler la commande" in shown(client.get(reverse("order_detail", args=[order.public_id])))
    order_validate(order=order, user=sales_admin)
    assert "Annuler la commande" not in shown(client.get(reverse("order_detail", args=[order.public_id])))


# -- the admin order page and its actions -------------------------------------------


def test_the_admin_order_page_permissions(order, client_for, partner_user, outsider, sales_admin, cloud_member):
    url = reverse("admin:orders_order_change", args=[order.pk])
    assert client_for(None).get(url).status_code == 302
    assert client_for(partner_user).get(url).status_code == 302  # not staff: the admin login
    assert client_for(outsider).get(url).status_code == 302
    assert client_for(cloud_member).get(url).status_code == 403
    assert client_for(sales_admin).get(url).status_code == 200


def test_the_admin_order_page_shows_every_section_and_the_actions(order, client_for, sales_admin):
    page = shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk])))
    for text in ("Type, origine et produit", "Livraison du certificat", "ONE-ERP-USER", "Commande soumise.",
                 "Valider", "Refuser", "Renvoyer au partenaire pour correction", order.number):
        assert text in page
    order_validate(order=order, user=sales_admin)
    page = shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk])))
    assert review_url(order, "refuser") not in page


def test_it_validates_from_the_admin_after_confirmation(order, client_for, sales_admin):
    client = client_for(sales_admin)
    confirmation = client.get(review_url(order, "valider"))
    assert confirmation.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED  # a GET changes nothing
    response = client.post(review_url(order, "valider"), {"reason": ""})
    assert response.url == reverse("admin:orders_order_change", args=[order.pk])
    order.refresh_from_db()
    assert order.status == OrderStatus.VALIDATED


def test_the_admin_refuses_a_rejection_without_reason(order, client_for, sales_admin):
    response = client_for(sales_admin).post(review_url(order, "refuser"), {"reason": ""})
    assert response.status_code == 200
    assert "Indiquez le motif : le partenaire le lira." in shown(response)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


@pytest.mark.parametrize("action,status", [("refuser", OrderStatus.REJECTED), ("renvoyer", OrderStatus.RETURNED)])
def test_the_admin_rejects_and_returns_with_a_reason(order, client_for, sales_admin, action, status):
    client_for(sales_admin).post(review_url(order, action), {"reason": "Devis manquant"})
    order.refresh_from_db()
    assert order.status == status
    assert order.events.get(to_status=status).message == "Devis manquant"


def test_the_cloud_team_cannot_validate_from_the_admin(order, client_for, cloud_member, partner_user):
    assert client_for(cloud_member).post(review_url(order, "valider")).status_code == 403
    assert client_for(partner_user).post(review_url(order, "valider")).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_it_validates_several_orders_from_the_list(partner, partner_user, client_for, sales_admin):
    orders = [submitted_order(partner=partner, user=partner_user) for _ in range(3)]
    order_validate(order=orders[0], user=sales_admin)
    # From the list of every order (the queue would not hold the one already validated).
    response = client_for(sales_admin).post(
        reverse("admin:orders_order_changelist") + "?statut=toutes",
        {"action": "validate_selected", "_selected_action": [o.pk for o in orders]},
        follow=True,
    )
    assert "2 commande(s) validée(s)." in shown(response)
    assert orders[0].number in shown(response)  # the one already validated is reported
    assert Order.objects.filter(status=OrderStatus.VALIDATED).count() == 3
    assert OrderEvent.objects.filter(to_status=OrderStatus.VALIDATED).count() == 3


def test_each_row_has_the_action_checkbox_django_would_render(partner, partner_user, client_for, sales_admin):
    from django import forms
    from django.contrib.admin import helpers

    order = submitted_order(partner=partner, user=partner_user)
    text = _changelist(client_for(sales_admin)).text
    written = (
        f'<input type="checkbox" name="_selected_action" value="{order.pk}" class="action-select"'
        f' aria-label="Choisir cet objet pour une action - {order.number}">'
    )
    assert written in text
    # The same element as Django's widget renders (attribute order aside).
    label = f"Choisir cet objet pour une action - {order}"
    widget = forms.CheckboxInput({"class": "action-select", "aria-label": label})
    rendered = widget.render(helpers.ACTION_CHECKBOX_NAME, str(order.pk))
    attributes = re.compile(r'([\w-]+)="([^"]*)"')
    assert dict(attributes.findall(rendered)) == dict(attributes.findall(written))


def test_a_filtered_lists_row_links_keep_the_filters_as_django_builds_them(partner, partner_user, client_for,
                                                                           sales_admin):
    from urllib.parse import urlencode

    from django.contrib.admin.templatetags.admin_urls import add_preserved_filters

    order = submitted_order(partner=partner, user=partner_user)
    for params in ({}, {"statut": "a-traiter", "q": f" {order.number} "}):
        text = _changelist(client_for(sales_admin), **params).text
        preserved = urlencode({"_changelist_filters": urlencode(params)}) if params else ""
        expected = add_preserved_filters(
            {"preserved_filters": preserved, "opts": Order._meta}, reverse("admin:orders_order_change", args=[order.pk])
        )
        assert f'href="{html.escape(expected)}"' in text


def test_the_cloud_team_does_not_get_the_bulk_validation(partner, client_for, cloud_member):
    order = submitted_order(partner=partner)
    client_for(cloud_member).post(
        reverse("admin:orders_order_changelist"), {"action": "validate_selected", "_selected_action": [order.pk]}
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


# -- the admin order list --------------------------------------------------------------


def _changelist(client, **params):
    return client.get(reverse("admin:orders_order_changelist"), params)


def test_the_admin_list_filters_and_searches(partner, partner_user, client_for, sales_admin):
    mine = submitted_order(partner=partner, user=partner_user)
    other = submitted_order(partner=PartnerFactory(code="ZED"))
    other.customer_name = "Fromagerie Dupont"
    other.save()
    Order.objects.filter(pk=other.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    client = client_for(sales_admin)

    def numbers(**params):
        page = shown(_changelist(client, **params))
        return {o.number for o in (mine, other) if o.number in page}

    assert numbers() == {mine.number, other.number}
    assert numbers(partner_code="zed") == {other.number}
    assert numbers(q="Dupont") == {other.number}
    assert numbers(q=mine.number) == {mine.number}
    assert numbers(q="ZED") == {other.number}
    today = timezone.localdate()
    assert numbers(created_from=(today - datetime.timedelta(days=1)).isoformat()) == {mine.number}
    assert numbers(created_to=(today - datetime.timedelta(days=30)).isoformat()) == {other.number}
    assert numbers(created_from="pas une date") == {mine.number, other.number}
    assert numbers(status="validated") == set()


@pytest.mark.parametrize("rows", [5, 50])
def test_the_admin_list_query_count_does_not_grow(rows, client_for, sales_admin, django_assert_max_num_queries):
    partners = [PartnerFactory() for _ in range(3)]
    for i in range(rows):
        submitted_order(partner=partners[i % 3], user=UserFactory(partner=partners[i % 3]))
    client = client_for(sales_admin)
    with django_assert_max_num_queries(12):
        response = _changelist(client)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert _changelist(client, status="submitted", partner_code=partners[0].code).status_code == 200


def test_the_admin_list_never_counts_the_whole_table(partner, client_for, sales_admin):
    submitted_order(partner=partner)
    with CaptureQueriesContext(connection) as queries:
        _changelist(client_for(sales_admin))
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the paginator counts something"
    assert all("LIMIT" in sql.upper() or "reltuples" in sql for sql in counts), counts


def test_the_paginator_caps_its_count(partner, monkeypatch):
    for _ in range(5):
        submitted_order(partner=partner)
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 3)
    assert CappedCountPaginator(Order.objects.filter(status="submitted"), 2).count == 4
    assert CappedCountPaginator(Order.objects.filter(status="draft"), 2).count == 0


def test_the_paginator_uses_the_planner_estimate_on_a_large_table(partner, monkeypatch, on_postgresql):
    if not on_postgresql:
        pytest.skip("pg_class.reltuples is PostgreSQL's")
    for _ in range(5):
        submitted_order(partner=partner)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orders_order")
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 2)
    with CaptureQueriesContext(connection) as queries:
        assert CappedCountPaginator(Order.objects.all(), 2).count == 5
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


# -- concurrency ---------------------------------------------------------------------------


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL; SQLite serialises writers anyway",
)
@pytest.mark.django_db(transaction=True)
def test_two_validations_at_once_make_one(partner, partner_user, sales_admin, settings):
    order = cloud_order(partner=partner, user=partner_user)
    outcomes = at_once(lambda: order_validate(order=Order.objects.get(pk=order.pk), user=sales_admin) and "ok")
    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.VALIDATED).count() == 1
    activation = Activation.objects.get(order=order)
    assert activation.notification_count == 1
    assert [m.to for m in mail.outbox].count([settings.CLOUD_TEAM_EMAIL]) == 1
    assert sum(1 for m in mail.outbox if partner_user.email in m.to and "validée" in m.subject) == 1


def test_the_admin_order_page_lists_and_downloads_documents(order, client_for, sales_admin, cloud_member, settings,
                                                            tmp_path):
    from django.core.files.base import ContentFile

    from orders.models import DocumentKind, OrderDocument

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = OrderDocument(
        order=order, kind=DocumentKind.PURCHASE_ORDER, original_name="bon-de-commande.pdf", size=len(content),
        content_type="application/pdf", uploaded_by=order.created_by,
    )
    document.file.save("stored-under-a-random-key", ContentFile(content), save=True)
    url = reverse("admin:orders_order_document", args=[order.pk, document.pk])

    page = shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk])))
    assert "bon-de-commande.pdf" in page and url in page
    response = client_for(sales_admin).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert client_for(cloud_member).get(url).status_code == 403
    other = submitted_order(partner=PartnerFactory(code="ELSE"))
    assert client_for(sales_admin).get(
        reverse("admin:orders_order_document", args=[other.pk, document.pk])
    ).status_code == 404


def test_the_back_office_shows_what_changed_since_the_return(partner, partner_user, sales_admin, client_for):
    """journeys.md J7: ADV sees what changed since the order was returned, field by field."""
    order = complete_draft(partner=partner, user=partner_user, lines=(("ONE-ERP-USER", 12),))
    order_submit(order=order, user=partner_user)
    order_return_for_correction(order=order, user=sales_admin, reason="15 licences, pas 12.")
    order.lines.filter(reference__code="ONE-ERP-USER").update(quantity=15)
    Order.objects.filter(pk=order.pk).update(contact_first_name="Inès")
    order_submit(order=order, user=partner_user)
    page = shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk])))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Ce qui a changé depuis le retour pour correction" in text
    assert "Quantité de ONE-ERP-USER 12 → 15" in text
    assert "Inès" in page
    assert "15 licences, pas 12." in page


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_order_page_reads_as_people_read(partner, partner_user, sales_admin, client_for):
    """Recipients as a list, the history as labelled transitions, an existing site's own data."""
    order = complete_draft(partner=partner, user=partner_user, type_code="ADDITIONAL", origin_code="EXISTING_SITE",
                           lines=(("ONE-ERP-USER", 2),))
    site = order.site
    Order.objects.filter(pk=order.pk).update(
        certificate_recipients=["paul@client.example", "marie@client.example"],
    )
    type(site).objects.filter(pk=site.pk).update(
        city="Lyon", postal_code="69002", address="3 quai du Port", phone="+33472102030"
    )
    order_submit(order=order, user=partner_user)
    order_validate(order=order, user=sales_admin)
    page = shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk])))
    text = _text(page)
    assert "paul@client.example<br>marie@client.example" in page
    assert "[&quot;" not in page and '["' not in text
    assert "Soumise → Validée" in text and "→submitted" not in text
    assert reverse("admin:customer_sites_site_change", args=[site.pk]) in page
    assert "3 quai du Port" in text and "69002 Lyon · FR" in text and "04 72 10 20 30" in text
    # The new-site answers are not shown for an existing site (they would all read « - »).
    assert "Raison sociale :" not in text and "Code postal :" not in text


def test_a_new_site_order_shows_the_new_sites_answers(partner, partner_user, sales_admin, client_for):
    order = complete_draft(partner=partner, user=partner_user, lines=(("ONE-ERP-USER", 2),))
    Order.objects.filter(pk=order.pk).update(new_site_company_name="Menuiserie Neuve", new_site_city="Colmar")
    page = shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk])))
    text = _text(page)
    assert "Menuiserie Neuve" in text and "Colmar" in text
    assert "Hébergement et statut" not in text


def test_a_resubmission_without_change_says_so_and_additional_data_count(
    partner, partner_user, sales_admin, client_for
):
    order = complete_draft(partner=partner, user=partner_user, lines=(("ONE-ERP-USER", 12),))
    order_submit(order=order, user=partner_user)
    order_return_for_correction(order=order, user=sales_admin, reason="Vérifiez l'effectif.")
    order_submit(order=order, user=partner_user)
    page = _text(shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk]))))
    assert "Aucune modification depuis le renvoi" in page and "Vérifiez l'effectif." in page

    order_return_for_correction(order=order, user=sales_admin, reason="Vérifiez l'effectif, vraiment.")
    Order.objects.filter(pk=order.pk).update(headcount=45)
    order_submit(order=order, user=partner_user)
    page = _text(shown(client_for(sales_admin).get(reverse("admin:orders_order_change", args=[order.pk]))))
    assert re.search(r"Effectif \S* → 45", page) and "Vérifiez l'effectif, vraiment." in page
    assert "Aucune modification" not in page
