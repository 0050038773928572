"""R2 (and R8) for the documents of an order: hostile files, names, types and kinds, by the page and by XHR."""

from __future__ import annotations

import json
import unicodedata
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.models import OrderDocument
from orders.services.documents import ALLOWED_TYPES
from tests.factories_orders import draft_with_product
from tests.fuzz.checks import (
    assert_flashed_clear,
    assert_no_nul_stored,
    assert_no_server_error,
    looks_french,
    post_multipart,
    rolled_back,
)
from tests.fuzz.strategies import fuzz_settings, hostile_files, hostile_uuid_text, hostile_value

pytestmark = pytest.mark.django_db

KINDS = st.one_of(st.sampled_from(["purchase_order", "other"]), hostile_value())
ALLOWED_CONTENT_TYPES = {file_type.content_type for file_type in ALLOWED_TYPES}


@pytest.fixture
def draft(partner, partner_user):
    return draft_with_product(partner=partner, user=partner_user)


@fuzz_settings(25)
@given(files=st.lists(hostile_files(), min_size=0, max_size=3), kind=KINDS, xhr=st.booleans(),
       field_name=st.sampled_from(["file", "file", "fichier", "file[]"]))
def test_an_upload_is_stored_safely_or_refused_with_a_clear_message(client, partner_user, draft, files, kind, xhr,
                                                                     field_name):
    client.force_login(partner_user)
    extra = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}
    with rolled_back():
        response = post_multipart(
            client, reverse("order_document_upload", args=[draft.public_id]), {"kind": kind},
            [(field_name, upload) for upload in files], **extra,
        )
        assert_no_server_error(response)
        if response.status_code == 400 and response["Content-Type"].startswith("text/html"):
            # Django refused the body before the view (a part's headers past its 1 KiB limit, e.g. a
            # file name of a thousand characters): its « Requête invalide » page, nothing stored.
            assert not OrderDocument.objects.filter(order=draft).exists()
            return
        if xhr:
            assert response.status_code in (200, 400, 413)
            answer = json.loads(response.content)
            assert answer["ok"] is (response.status_code == 200)
            for error in answer["errors"]:
                assert looks_french(error), f"{error!r} is not a French message"
            refused = not answer["ok"]
            errors = answer["errors"]
        else:
            assert response.status_code == 302
            errors = assert_flashed_clear(response)
            refused = OrderDocument.objects.filter(order=draft).count() < len(files) or field_name != "file"
        if refused:
            assert errors, "refused without a word"
        for document in OrderDocument.objects.filter(order=draft):
            # Named safely, typed by content, never by what the browser claimed.
            assert document.content_type in ALLOWED_CONTENT_TYPES
            assert not any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in document.original_name)
            assert "/" not in document.original_name and "\\" not in document.original_name
            assert 0 < len(document.original_name) <= 150
        assert_no_nul_stored()


@fuzz_settings(10)
@given(document_id=hostile_uuid_text(), public_id=hostile_uuid_text(), htmx=st.booleans())
def test_hostile_document_addresses_are_not_found(client, partner_user, draft, document_id, public_id, htmx):
    client.force_login(partner_user)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with rolled_back():
        document = quote(document_id, safe="")
        for method, url in (
            (client.get, f"/commandes/{draft.public_id}/documents/{document}/"),
            (client.post, f"/commandes/{draft.public_id}/documents/{document}/retirer/"),
            (client.post, f"/commandes/{quote(public_id, safe='')}/documents/"),
        ):
            response = method(url, **extra)
            assert_no_server_error(response)
            assert response.status_code in (302, 404, 405)
