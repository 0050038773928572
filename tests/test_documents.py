"""Order documents: recognised by content, bounded while streaming, stored privately, served only to
the order's partner and sales admins, removable while the order is editable (R8, B7)."""

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tracemalloc
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory
from django.urls import reverse

from orders.models import DocumentKind, OrderDocument, OrderEvent, OrderStatus
from orders.services.documents import (
    DocumentRefused,
    detect_file_type,
    document_add,
    document_delete,
    sanitize_file_name,
)
from orders.services.submission import order_submit
from orders.uploads import SizeLimitedUploadHandler
from orders.views_documents import document_upload
from tests.factories_orders import draft_with_product
from tests.factories_steps import PDF_BYTES, complete_draft, fill_steps_4_to_6

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def zip_bytes(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), entries[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


DOCX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT_BYTES = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}, stored_first="mimetype"
)
ODS_BYTES = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"},
    stored_first="mimetype",
)
HTML_BYTES = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Each test stores its files in a folder of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def draft(partner, partner_user):
    return draft_with_product(partner=partner, user=partner_user)


def upload_url(order):
    return reverse("order_document_upload", args=[order.public_id])


def download_url(document):
    return reverse("order_document_download", args=[document.order.public_id, document.public_id])


def remove_url(document):
    return reverse("order_document_remove", args=[document.order.public_id, document.public_id])


def upload(client, order, content: bytes, name="bon.pdf", kind=DocumentKind.PURCHASE_ORDER, content_type=None):
    file = SimpleUploadedFile(name, content, content_type=content_type or "application/octet-stream")
    return client.post(upload_url(order), {"kind": kind, "file": file}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")


def add(order, user, content=PDF_BYTES, name="bon.pdf", kind=DocumentKind.PURCHASE_ORDER):
    return document_add(order=order, user=user, uploaded_file=SimpleUploadedFile(name, content), kind=kind,
                        max_bytes=20 * MB)


# --- recognising files by their content -------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "label"),
    [(PDF_BYTES, "PDF"), (PNG_BYTES, "PNG"), (JPEG_BYTES, "JPEG"), (DOCX_BYTES, "DOCX"), (XLSX_BYTES, "XLSX"),
     (ODT_BYTES, "ODT")],
)
def test_it_recognises_the_allowed_types_by_content(content, label):
    assert detect_file_type(io.BytesIO(content)).label == label


@pytest.mark.parametrize(
    "content",
    [HTML_BYTES, b"", b"MZ\x90\x00 an exe", ODS_BYTES, zip_bytes({"readme.txt": b"hello"}),
     zip_bytes({"word/document.xml": b"<w/>"}), b"PK\x03\x04 not really a zip", b"GIF89a....", b" %PDF-1.4"],
)
def test_it_refuses_other_content(content):
    assert detect_file_type(io.BytesIO(content)) is None


def test_an_html_file_renamed_pdf_is_refused(client_for, partner_user, draft):
    response = upload(client_for(partner_user), draft, HTML_BYTES, name="bon-de-commande.pdf",
                      content_type="application/pdf")
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert body["errors"] == [
        "« bon-de-commande.pdf » n'est pas d'un type accepté : déposez un fichier PDF, PNG, JPEG, DOCX, XLSX, ODT."
    ]
    assert not OrderDocument.objects.exists()


def test_a_pdf_named_otherwise_is_kept_as_a_pdf(partner_user, draft):
    document = add(draft, partner_user, name="facture.exe")
    assert document.content_type == "application/pdf"
    assert document.original_name == "facture.exe.pdf"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\paul\\Bon de commande.PDF", "Bon de commande.pdf"),
        ("bon\x00\x1b[31m\u202ecod.pdf", "bon[31mcod.pdf"),
        ("  ...  .pdf", "document.pdf"),
        ("<script>alert(1)</script>.pdf", "script_.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", "_img src=x onerror=alert(1)_.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
        ("Devis\tsigné   final.pdf", "Devis signé final.pdf"),
        ("", "document.pdf"),
    ],
)
def test_it_sanitises_hostile_names(typed, kept):
    from orders.services.documents import PDF

    assert sanitize_file_name(typed, file_type=PDF) == kept


# --- uploading through the view ---------------------------------------------------------------


def test_it_stores_an_upload_under_a_random_key_with_its_facts(client_for, partner_user, draft, private_storage):
    response = upload(client_for(partner_user), draft, PDF_BYTES, name="../Bon signé.pdf")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["errors"] == []
    document = OrderDocument.objects.get()
    assert re.fullmatch(rf"orders/{draft.public_id}/[0-9a-f]{{32}}", document.file.name)
    assert (private_storage / document.file.name).read_bytes() == PDF_BYTES
    assert document.original_name == "Bon signé.pdf"
    assert document.size == len(PDF_BYTES)
    assert document.content_type == "application/pdf"
    assert document.uploaded_by == partner_user
    assert document.kind == DocumentKind.PURCHASE_ORDER
    assert "Bon signé.pdf" in body["list_html"]
    assert OrderEvent.objects.filter(order=draft, message__startswith="Document ajouté").count() == 1


@pytest.mark.parametrize("content", [PNG_BYTES, JPEG_BYTES, DOCX_BYTES, XLSX_BYTES, ODT_BYTES])
def test_it_accepts_each_allowed_type(client_for, partner_user, draft, content):
    response = upload(client_for(partner_user), draft, content, name="piece", kind=DocumentKind.OTHER)
    assert response.status_code == 200, response.content


def test_it_refuses_an_unknown_kind_and_an_empty_file(client_for, partner_user, draft):
    client = client_for(partner_user)
    assert "Choisissez la nature du document" in upload(client, draft, PDF_BYTES, kind="invoice").json()["errors"][0]
    assert upload(client, draft, b"", name="vide.pdf").json()["errors"] == ["Le fichier « vide.pdf » est vide."]
    assert upload(client, draft, b"", name="vide.pdf").status_code == 400


def test_it_refuses_a_request_without_file(client_for, partner_user, draft):
    response = client_for(partner_user).post(
        upload_url(draft), {"kind": "other"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == ["Choisissez ou déposez un fichier."]


def test_without_javascript_it_redirects_back_with_a_message(client_for, partner_user, draft):
    fill_steps_4_to_6(draft, with_purchase_order=False)
    client = client_for(partner_user)
    files = [SimpleUploadedFile("a.pdf", PDF_BYTES), SimpleUploadedFile("b.png", PNG_BYTES)]
    response = client.post(upload_url(draft), {"kind": "other", "file": files}, follow=True)
    assert response.redirect_chain[0][0].endswith("/etapes/documents/#documents")
    assert "Document enregistré." in response.content.decode()
    assert OrderDocument.objects.filter(order=draft).count() == 2


def test_the_upload_checks_the_csrf_token(partner_user, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner_user)
    assert upload(client, draft, PDF_BYTES).status_code == 403
    assert not OrderDocument.objects.exists()


def test_it_limits_the_number_of_documents(partner_user, draft, settings):
    from orders.services import documents

    for _ in range(documents.MAX_DOCUMENTS_PER_ORDER):
        add(draft, partner_user, kind=DocumentKind.OTHER)
    with pytest.raises(DocumentRefused, match="20 documents au plus"):
        add(draft, partner_user)


# --- size, bounded while streaming ------------------------------------------------------------


def multipart_body(size: int, boundary: str = "BoUnDaRy") -> bytes:
    payload = b"%PDF-1.4\n" + b"0" * (size - 9)
    return b"".join([
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npurchase_order\r\n".encode(),
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gros.pdf\"\r\n".encode(),
        b"Content-Type: application/pdf\r\n\r\n",
        payload,
        f"\r\n--{boundary}--\r\n".encode(),
    ])


def test_the_handler_stops_the_upload_past_the_limit_while_it_streams():
    body = multipart_body(3 * MB)
    meta = {"CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy", "CONTENT_LENGTH": str(len(body))}
    handler = SizeLimitedUploadHandler(max_bytes=1 * MB)
    # Declared length within bounds (a lying client): only the streamed bytes are counted.
    handler.handle_raw_input = lambda *args, **kwargs: None
    received = []
    original = handler.receive_data_chunk

    def spy(raw_data, start):
        received.append(len(raw_data))
        return original(raw_data, start)

    handler.receive_data_chunk = spy
    post, files = MultiPartParser(meta, io.BytesIO(body), [handler]).parse()
    assert handler.exceeded
    assert "file" not in files
    assert post["kind"] == "purchase_order"
    # It stopped at the first chunk past the limit, not at the end of the body.
    assert sum(received) <= 1 * MB + handler.chunk_size
    assert handler.file.closed


def test_the_handler_refuses_a_declared_length_beyond_the_limit_before_writing():
    body = multipart_body(3 * MB)
    meta = {"CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy", "CONTENT_LENGTH": str(len(body))}
    handler = SizeLimitedUploadHandler(max_bytes=1 * MB)
    _post, files = MultiPartParser(meta, io.BytesIO(body), [handler]).parse()
    assert handler.exceeded
    assert not hasattr(handler, "file")
    assert "file" not in files


def test_a_file_at_the_limit_is_accepted(client_for, partner_user, draft, settings):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 64 * 1024
    content = PDF_BYTES + b"0" * (64 * 1024 - len(PDF_BYTES))
    assert upload(client_for(partner_user), draft, content).status_code == 200
    assert upload(client_for(partner_user), draft, content + b"0").status_code == 413


def post_through_the_view(user, order, body: bytes):
    request = RequestFactory().generic(
        "POST", upload_url(order), data=body, content_type="multipart/form-data; boundary=BoUnDaRy",
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    request.user = user
    request._dont_enforce_csrf_checks = True
    return request


def peak_growth(call) -> tuple[object, int]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak - before


@pytest.mark.parametrize("size", [8 * MB, 30 * MB], ids=["counted-while-streaming", "declared-too-long"])
def test_an_oversized_upload_is_refused_without_holding_it_in_memory(partner_user, draft, settings, private_storage,
                                                                     size):
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 2 * MB
    body = multipart_body(size)
    request = post_through_the_view(partner_user, draft, body)
    response, growth = peak_growth(lambda: document_upload(request, public_id=draft.public_id))
    assert response.status_code == 413
    assert json.loads(response.content)["errors"] == [
        "Le fichier dépasse la taille maximale de 2,0\xa0Mio : il n'a pas été enregistré."
    ]
    assert not OrderDocument.objects.exists()
    assert not any(private_storage.rglob("*")) if private_storage.exists() else True
    assert growth < 4 * MB, f"peak memory growth {growth} bytes"


def test_a_50_mb_purchase_order_upload_stays_within_20_mb_of_memory(partner_user, draft, settings, private_storage):
    """B7: a 50 MB upload through the real view, stored: peak memory growth ≤ 20 MB."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 60 * MB
    body = multipart_body(50 * MB)
    request = post_through_the_view(partner_user, draft, body)
    response, growth = peak_growth(lambda: document_upload(request, public_id=draft.public_id))
    assert response.status_code == 200, response.content
    document = OrderDocument.objects.get()
    assert document.size == 50 * MB
    assert (private_storage / document.file.name).stat().st_size == 50 * MB
    assert growth <= 20 * MB, f"peak memory growth {growth} bytes"


# --- who may upload, download, remove ---------------------------------------------------------


def test_only_the_orders_partner_uploads(client_for, partner_admin, outsider, sales_admin, cloud_member, draft):
    assert upload(client_for(None), draft, PDF_BYTES).status_code == 302
    assert upload(client_for(outsider), draft, PDF_BYTES).status_code == 404
    assert upload(client_for(sales_admin), draft, PDF_BYTES).status_code == 403
    assert upload(client_for(cloud_member), draft, PDF_BYTES).status_code == 403
    assert not OrderDocument.objects.exists()
    assert upload(client_for(partner_admin), draft, PDF_BYTES).status_code == 200


def test_the_download_is_an_attachment_for_the_partner_and_sales_admins_only(
    client_for, partner_user, partner_admin, outsider, sales_admin, cloud_member, draft
):
    document = add(draft, partner_user, content=PDF_BYTES, name="Bon « signé ».pdf")
    url = download_url(document)
    assert client_for(None).get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(cloud_member).get(url).status_code == 403
    for user in (partner_user, partner_admin, sales_admin):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''Bon%20%C2%AB%20sign%C3%A9%20%C2%BB.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]


def test_a_document_is_not_reachable_through_another_order(client_for, partner, partner_user, draft):
    document = add(draft, partner_user)
    other = draft_with_product(partner=partner, user=partner_user)
    url = reverse("order_document_download", args=[other.public_id, document.public_id])
    assert client_for(partner_user).get(url).status_code == 404


def test_it_removes_a_document_and_its_file(client_for, partner_user, draft, private_storage,
                                            django_capture_on_commit_callbacks):
    document = add(draft, partner_user)
    stored = private_storage / document.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(partner_user).post(remove_url(document), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Document « bon.pdf » retiré." in response.content.decode()
    assert not OrderDocument.objects.exists()
    assert not stored.exists()
    assert OrderEvent.objects.filter(order=draft, message__startswith="Document retiré").count() == 1
    # A second click on the same button changes nothing.
    document_delete(document=document, user=partner_user)


def test_only_the_orders_partner_removes(client_for, partner_user, outsider, sales_admin, draft):
    document = add(draft, partner_user)
    assert client_for(None).post(remove_url(document)).status_code == 302
    assert client_for(outsider).post(remove_url(document)).status_code == 404
    assert client_for(sales_admin).post(remove_url(document)).status_code == 403
    assert OrderDocument.objects.filter(pk=document.pk).exists()


def test_documents_of_a_submitted_order_are_frozen_until_it_is_returned(client_for, partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    extra = add(order, partner_user, kind=DocumentKind.OTHER)
    order_submit(order=order, user=partner_user)
    client = client_for(partner_user)
    assert upload(client, order, PDF_BYTES).json()["errors"] == [
        "La commande est au statut « Soumise » : ses documents ne peuvent plus être modifiés."
    ]
    client.post(remove_url(extra))
    assert OrderDocument.objects.filter(pk=extra.pk).exists()
    order.status = OrderStatus.RETURNED
    order.save(update_fields=["status"])
    assert upload(client, order, PNG_BYTES, kind=DocumentKind.OTHER).status_code == 200
    client.post(remove_url(extra))
    assert not OrderDocument.objects.filter(pk=extra.pk).exists()


def test_the_order_page_lists_documents_with_download_links(client_for, partner_user, sales_admin, draft,
                                                            django_assert_max_num_queries):
    document = add(draft, partner_user)
    for user in (partner_user, sales_admin):
        response = client_for(user).get(reverse("order_detail", args=[draft.public_id]))
        assert download_url(document) in response.content.decode()


def test_the_documents_list_shows_size_uploader_and_date(client_for, partner_user, draft):
    fill_steps_4_to_6(draft, with_purchase_order=False)
    add(draft, partner_user, content=PDF_BYTES + b"0" * 2048)
    response = client_for(partner_user).get(reverse("order_wizard", args=[draft.public_id, "documents"]))
    text = response.content.decode()
    assert "2,0\xa0Kio" in text, re.findall(r"<td class=\"text-end text-nowrap\">[^<]*", text)
    assert partner_user.get_full_name() in text
    assert "<time datetime=" in text


# --- the S3 backend against a local S3-compatible server --------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A moto S3 server on a free port, for the whole session."""
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    if executable is None:
        pytest.fail("moto_server is missing: pip install 'moto[server]'")
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")  # noqa: SIM115
    process = subprocess.Popen([executable, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log,
                               env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto_server did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def s3_storage(s3_server, settings):
    import boto3

    bucket = f"documents-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "addressing_style": "path",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                "location": "private",
            },
        },
    }
    return client, bucket


def test_documents_go_to_s3_and_come_back_only_through_the_view(
    s3_storage, client_for, partner_user, outsider, sales_admin, draft, django_capture_on_commit_callbacks
):
    client, bucket = s3_storage
    response = upload(client_for(partner_user), draft, DOCX_BYTES, name="Conditions.docx", kind=DocumentKind.OTHER)
    assert response.status_code == 200, response.content
    document = OrderDocument.objects.get()
    key = f"private/{document.file.name}"
    assert re.fullmatch(rf"private/orders/{draft.public_id}/[0-9a-f]{{32}}", key)
    stored = client.get_object(Bucket=bucket, Key=key)
    assert stored["Body"].read() == DOCX_BYTES
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not any("AllUsers" in grant["Grantee"].get("URI", "") for grant in grants)

    download = client_for(sales_admin).get(download_url(document))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == DOCX_BYTES
    assert download["Content-Disposition"] == 'attachment; filename="Conditions.docx"'
    assert client_for(outsider).get(download_url(document)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        client_for(partner_user).post(remove_url(document))
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0
