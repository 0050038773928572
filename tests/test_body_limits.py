"""R14: every route refuses a body over its limit before anything reads or writes it; the routes that take
files (the purchase-order upload, the admin's CSV imports) keep their own, larger limit.

The routes come from the URL configuration, the admin's included, each path parameter filled with a value of
its converter's kind: the limit holds whether or not the object exists, for anonymous clients too.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from tests.factories_steps import PDF_BYTES, complete_draft
from tests.urlconf import routes

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "str": "x", "path": "x"}
PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def concrete_paths() -> list[tuple[str, str]]:
    """(view name, a path it resolves) for every route of the URLconf."""
    return sorted({(name, "/" + PLACEHOLDER.sub(lambda m: SAMPLE[m.group("converter") or "str"], route))
                   for name, route in routes()})


class NoUploadAllowed(FileUploadHandler):
    """Installed as the only upload handler: the test fails if any request's body reaches a parser."""

    calls = 0

    def __init__(self, request=None):
        type(self).calls += 1
        super().__init__(request)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def no_upload(settings):
    settings.FILE_UPLOAD_HANDLERS = ["tests.test_body_limits.NoUploadAllowed"]
    NoUploadAllowed.calls = 0
    yield NoUploadAllowed
    NoUploadAllowed.calls = 0


def test_the_routes_are_found():
    names = {name for name, _path in concrete_paths()}
    expected = {"login", "order_document_upload", "admin:customer_sites_site_import", "admin:orders_order_changelist"}
    assert expected <= names


@pytest.mark.parametrize("who", ["anonymous", "partner", "sales_admin"])
def test_every_route_refuses_a_body_over_its_limit_unread(client_for, partner_user, sales_admin, settings, no_upload,
                                                          who):
    client = client_for({"anonymous": None, "partner": partner_user, "sales_admin": sales_admin}[who])
    failures = []
    for name, path in concrete_paths():
        limit = settings.REQUEST_BODY_LIMITS.get(name, settings.REQUEST_BODY_MAX_BYTES)
        # A small body declaring one byte more than the limit: the answer must come from the length alone.
        response = client.post(path, {"file": b"x"}, CONTENT_LENGTH=str(limit + 1))
        if response.status_code != 413:
            failures.append(f"{name} {path}: {response.status_code}")
    assert failures == []
    assert no_upload.calls == 0


def test_forty_megabytes_posted_to_the_login_page_are_refused_and_never_written(client, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    body = b"x" * (40 * 1024 * 1024)
    response = client.post(reverse("login"), {"username": "a@b.example", "file": SimpleUploadedFile("big.bin", body)})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_length_is_a_bad_request(client):
    assert client.post(reverse("login"), {}, CONTENT_LENGTH="abc").status_code == 400
    assert client.post(reverse("login"), {}, CONTENT_LENGTH="-5").status_code == 400


def test_a_body_under_the_limit_goes_through(client):
    # The login page answers as usual (no 413) to an ordinary form.
    assert client.post(reverse("login"), {"username": "a@b.example", "password": "x"}).status_code == 200


def test_the_upload_keeps_its_larger_limit(client_for, partner, partner_user, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path), "base_url": None}}}
    order = complete_draft(partner=partner, user=partner_user)
    url = reverse("order_document_upload", args=[order.public_id])
    # Over the ordinary limit, under the upload's: accepted.
    pdf = PDF_BYTES + b"%" * (settings.REQUEST_BODY_MAX_BYTES + 1024)
    response = client_for(partner_user).post(
        url, {"kind": "purchase_order", "file": SimpleUploadedFile("bon.pdf", pdf)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    assert order.documents.count() >= 1
    # Over the upload's own limit: refused unread.
    limit = settings.REQUEST_BODY_LIMITS["order_document_upload"]
    response = client_for(partner_user).post(url, {"file": b"x"}, CONTENT_LENGTH=str(limit + 1))
    assert response.status_code == 413
