"""R2 for the order pages: the list's query string, messages, cancellation, submission, deletion."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.models import OrderComment, OrderStatus
from tests.factories_backoffice import submitted_order
from tests.factories_steps import complete_draft
from tests.fuzz.checks import (
    assert_flashed_clear,
    assert_no_nul_stored,
    assert_no_server_error,
    get_query,
    post_form,
    rolled_back,
)
from tests.fuzz.strategies import (
    field,
    form_data,
    fuzz_settings,
    hostile_query,
    hostile_text,
    hostile_uuid_text,
    hostile_value,
    page_numbers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(partner, partner_user):
    return submitted_order(partner=partner, user=partner_user)


@fuzz_settings(25)
@given(
    params=hostile_query(["q", "status", "order_type", "generation", "page"]),
    page=st.one_of(st.none(), page_numbers()),
    htmx=st.booleans(),
)
def test_the_order_list_answers_any_query_string(client, partner_user, order, params, page, htmx):
    client.force_login(partner_user)
    if page is not None:
        params["page"] = page
    with rolled_back():
        response = get_query(client, reverse("order_list"), params, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
        assert_no_server_error(response)
        assert response.status_code == 200


@fuzz_settings(25)
@given(
    form=form_data(
        body=field(st.just("Pouvez-vous confirmer la date ?"), max_length=5000),
        internal=field(st.sampled_from(["", "on"])),
        submission_key=field(st.sampled_from(["", "3f2b8c1e-8a47-4f51-9d2a-0d3c7e2b9a10"])),
    ),
    as_sales_admin=st.booleans(),
)
def test_a_message_is_sent_or_refused_with_a_clear_message(client, partner_user, sales_admin, order, form,
                                                           as_sales_admin):
    data, refused = form
    refused.discard("internal")  # a partner's form has no such field: what they send there is ignored
    client.force_login(sales_admin if as_sales_admin else partner_user)
    with rolled_back():
        before = OrderComment.objects.count()
        response = post_form(client, reverse("order_comment_create", args=[order.public_id]), data)
        assert_no_server_error(response)
        if response.status_code == 200:
            # Refused on a submitted order: its page again, what was typed kept, the errors summarised.
            assert 'id="error-summary"' in response.content.decode()
            assert OrderComment.objects.count() == before, "a message was written although the form was refused"
        else:
            assert response.status_code == 302
            messages = assert_flashed_clear(response)
            if refused:
                assert OrderComment.objects.count() == before, f"a message was written despite {refused}"
                assert messages, "refused without a word"
        assert_no_nul_stored()


@fuzz_settings(25)
@given(form=form_data(reason=field(st.just("Le client a renoncé."), max_length=4000)))
def test_a_cancellation_is_done_or_refused_with_a_clear_message(client, partner_user, order, form):
    data, refused = form
    client.force_login(partner_user)
    with rolled_back():
        response = post_form(client, reverse("order_cancel", args=[order.public_id]), data)
        assert_no_server_error(response)
        assert response.status_code == 302
        messages = assert_flashed_clear(response)
        order.refresh_from_db()
        if refused:
            assert order.status == OrderStatus.SUBMITTED, f"cancelled despite {refused}"
            assert messages, "refused without a word"
        assert_no_nul_stored()


@pytest.mark.parametrize("name", ["order_submit", "order_draft_delete", "order_cancel", "order_comment_create"])
@fuzz_settings(6)
@given(data=st.dictionaries(hostile_text(), hostile_value(), max_size=4))
def test_order_actions_ignore_unexpected_fields(client, partner, partner_user, name, data):
    draft = complete_draft(partner=partner, user=partner_user)
    client.force_login(partner_user)
    with rolled_back():
        response = post_form(client, reverse(name, args=[draft.public_id]), data)
        assert_no_server_error(response)
        assert response.status_code == 302
        assert_flashed_clear(response)
        assert_no_nul_stored()


@fuzz_settings(12)
@given(public_id=hostile_uuid_text(), number=hostile_text())
def test_hostile_order_addresses_are_not_found(client, partner_user, public_id, number):
    client.force_login(partner_user)
    with rolled_back():
        for url in (
            f"/commandes/{quote(public_id, safe='')}/",
            f"/commandes/{quote(public_id, safe='')}/soumettre/",
            f"/commandes/odata/{quote(number, safe='')}/",
        ):
            response = post_form(client, url, {}) if "/commandes/odata/" in url or url.endswith("soumettre/") \
                else client.get(url)
            assert_no_server_error(response)
            assert response.status_code in (302, 404, 405)


BODY_TYPES = st.sampled_from([
    "application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
    "multipart/form-data; boundary=", "multipart/form-data; boundary=x", "application/xml", "",
    "application/x-www-form-urlencoded; charset=utf-16", "application/x-www-form-urlencoded; charset=nope",
])
BODIES = st.one_of(
    st.sampled_from([b"", b"{}", b'{"reason": "\\u0000"}', b"[1, 2]", b"null", b"--x\r\n\r\n", b"a=1&a=2&&=&%zz",
                     b"\x00" * 64, b"<xml/>"]),
    st.binary(max_size=512),
)


@pytest.mark.parametrize("name", ["order_cancel", "order_comment_create", "order_document_upload", "order_wizard"])
@fuzz_settings(10)
@given(body=BODIES, content_type=BODY_TYPES)
def test_order_endpoints_take_any_body(client, partner, partner_user, order, name, body, content_type):
    args = [order.public_id] if name != "order_wizard" else [complete_draft(partner=partner).public_id, "contact"]
    client.force_login(partner_user)
    with rolled_back():
        response = client.generic("POST", reverse(name, args=args), body, content_type=content_type)
        assert_no_server_error(response)
        assert response.status_code in (200, 302, 400)
        assert_no_nul_stored()


@fuzz_settings(10)
@given(public_id=hostile_uuid_text())
def test_hostile_certificate_addresses_are_not_found(client, partner_user, public_id):
    client.force_login(partner_user)
    with rolled_back():
        response = client.get(f"/certificats/{quote(public_id, safe='')}/telecharger/")
        assert_no_server_error(response)
        assert response.status_code == 404
