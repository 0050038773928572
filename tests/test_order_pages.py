"""The order list, the home counters and the order page: content, filters, isolation, query counts."""

import html

import pytest
from django.urls import reverse

from orders.models import OrderStatus
from orders.services.submission import order_submit
from tests.factories_orders import OrderFactory, draft_with_product
from tests.factories_steps import complete_draft

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return html.unescape(response.content.decode())


def test_home_counts_drafts_submitted_and_returned(client_for, partner, partner_user, other_partner):
    OrderFactory.create_batch(2, partner=partner, created_by=partner_user)
    OrderFactory(partner=other_partner)
    returned = draft_with_product(partner=partner, user=partner_user)
    returned.status = OrderStatus.RETURNED
    returned.save()
    response = client_for(partner_user).get(reverse("home"))
    assert response.context["counters"][0][1] == 2
    assert response.context["counters"][2][1] == 1
    assert f'{reverse("order_list")}?status=returned' in response.text


def test_staff_are_sent_to_the_admin_from_home(client_for, sales_admin, cloud_member):
    assert client_for(sales_admin).get(reverse("home")).url == reverse("admin:index")
    assert client_for(cloud_member).get(reverse("home")).url == reverse("admin:index")


def shown_ids(response) -> list:
    """The public ids of the orders a list page shows, in order."""
    return [row["public_id"] for row in response.context["orders"]]


def test_the_list_shows_only_the_partners_orders_newest_first(client_for, partner, partner_user, other_partner):
    older = complete_draft(partner=partner, user=partner_user)
    newer = complete_draft(partner=partner, user=partner_user)
    order_submit(order=newer, user=partner_user)
    foreign = draft_with_product(partner=other_partner)
    response = client_for(partner_user).get(reverse("order_list"))
    assert shown_ids(response) == [newer.public_id, older.public_id]
    assert str(foreign.public_id) not in response.text


def test_the_list_filters_by_status_and_searches(client_for, partner, partner_user):
    submitted = complete_draft(partner=partner, user=partner_user)
    order_submit(order=submitted, user=partner_user)
    draft = draft_with_product(partner=partner, user=partner_user)
    draft.customer_name = "Garage Schmitt"
    draft.save()
    client = client_for(partner_user)
    assert shown_ids(client.get(reverse("order_list"), {"status": "submitted"})) == [submitted.public_id]
    assert shown_ids(client.get(reverse("order_list"), {"q": "schmitt"})) == [draft.public_id]
    assert shown_ids(client.get(reverse("order_list"), {"q": submitted.number})) == [submitted.public_id]


def test_a_bad_filter_value_is_explained_not_an_error(client_for, partner_user):
    response = client_for(partner_user).get(reverse("order_list"), {"status": "nope", "order_type": "x'--"})
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_query_count_does_not_grow_with_rows(client_for, partner, partner_user, rows,
                                                      django_assert_max_num_queries):
    for _ in range(rows):
        draft_with_product(partner=partner, user=partner_user)
    client = client_for(partner_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("order_list"))
    assert len(response.context["orders"]) == min(rows, 25)


def test_the_order_page_shows_sections_lines_and_timeline(client_for, partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    order_submit(order=order, user=partner_user)
    response = client_for(partner_user).get(reverse("order_detail", args=[order.public_id]))
    text = shown(response)
    assert order.number in text
    assert "ONE-ERP-USER" in text
    assert "Commande soumise." in text
    assert "Soumise" in text


def test_the_order_page_query_count_is_bounded(client_for, partner, partner_user, django_assert_max_num_queries):
    order = complete_draft(partner=partner, user=partner_user,
                               lines=(("ONE-ERP-USER", 3), ("SAAS-ENV", 1), ("SETUP-DAY", 2)))
    order_submit(order=order, user=partner_user)
    client = client_for(partner_user)
    # 13: the conflicts between steps (orders.completeness.order_conflicts) read the lines once more.
    with django_assert_max_num_queries(13):
        client.get(reverse("order_detail", args=[order.public_id]))


def order_urls(order):
    return [
        ("get", reverse("order_detail", args=[order.public_id])),
        ("get", reverse("order_wizard", args=[order.public_id, "type"])),
        ("get", reverse("order_wizard", args=[order.public_id, "produit"])),
        ("post", reverse("order_wizard", args=[order.public_id, "type"])),
        ("post", reverse("order_submit", args=[order.public_id])),
        ("post", reverse("order_draft_delete", args=[order.public_id])),
    ]


def test_another_partner_gets_404_on_every_order_url(client_for, partner, partner_user, outsider):
    order = draft_with_product(partner=partner, user=partner_user)
    client = client_for(outsider)
    for method, url in order_urls(order):
        assert getattr(client, method)(url).status_code == 404, url
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_anonymous_is_sent_to_login_on_every_order_url(client, partner, partner_user):
    order = draft_with_product(partner=partner, user=partner_user)
    for method, url in [*order_urls(order), ("get", reverse("order_list")), ("get", reverse("order_create"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_staff_cannot_use_the_partner_wizard(client_for, partner, partner_user, sales_admin, cloud_member):
    order = draft_with_product(partner=partner, user=partner_user)
    for user in (sales_admin, cloud_member):
        client = client_for(user)
        assert client.get(reverse("order_list")).status_code == 403
        assert client.get(reverse("order_create")).status_code == 403
        assert client.get(reverse("order_wizard", args=[order.public_id, "type"])).status_code == 403


def test_sales_admins_read_the_order_page_and_the_cloud_team_does_not(client_for, partner, partner_user,
                                                                       sales_admin, cloud_member):
    order = draft_with_product(partner=partner, user=partner_user)
    url = reverse("order_detail", args=[order.public_id])
    assert client_for(sales_admin).get(url).status_code == 200
    assert client_for(cloud_member).get(url).status_code == 403


def test_the_list_pages_without_counting(client_for, partner, partner_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from orders.views import ORDERS_PER_PAGE

    for _ in range(ORDERS_PER_PAGE + 3):
        draft_with_product(partner=partner, user=partner_user)
    client = client_for(partner_user)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("order_list"))
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(first.context["orders"]) == ORDERS_PER_PAGE and first.context["page_obj"].has_next()
    second = client.get(reverse("order_list"), {"page": "2"})
    assert len(second.context["orders"]) == 3 and not second.context["page_obj"].has_next()
    for odd in ("abc", "-4", "99999999999999999999", "0"):
        page = client.get(reverse("order_list"), {"page": odd}).context["page_obj"]
        assert page.number == 1 and len(page) == ORDERS_PER_PAGE
