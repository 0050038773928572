"""The partner API's shared rules: keys and their scope, problem details in two languages, the portal's own
messages, Idempotency-Key, the rate limit, and the keys' page."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from mybusiness.models import ApiIdempotentRequest, ApiKey, ApiScope
from mybusiness.services import api_key_create, api_key_hash, user_set_active
from orders.models import Order
from orders.wizard.forms_contact import ContactForm
from tests.api import API, ApiClient, api_key
from tests.factories import PartnerAdminFactory, UserFactory
from tests.factories_orders import draft_with_product
from tests.factories_sites import SiteFactory

pytestmark = pytest.mark.django_db

NEW_ORDER = {"order_type": "NEW_CUSTOMER", "origin": "NEW_SITE"}


@pytest.fixture
def admin(partner):
    return PartnerAdminFactory(partner=partner)


@pytest.fixture
def erp(admin):
    return ApiClient(api_key(admin))


def problem(response, status):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    return body


# ------------------------------------------------------------------------------------------------- keys

def test_a_key_is_stored_hashed_and_shown_once(admin):
    key, token = api_key_create(admin=admin, name=" ERP  interne ", scope=ApiScope.READ)
    assert token.startswith("mbk_") and len(token) > 40
    assert key.hashed_key == api_key_hash(token) and token not in key.hashed_key
    assert key.prefix == token[:12] and key.name == "ERP interne"
    same_key = uuid.uuid4()
    first, shown = api_key_create(admin=admin, name="x", scope=ApiScope.READ, creation_key=same_key)
    again, shown_again = api_key_create(admin=admin, name="x", scope=ApiScope.READ, creation_key=same_key)
    assert first == again and shown and shown_again == ""


@pytest.mark.parametrize("header", [None, "Bearer mbk_not-a-key", "Basic dXNlcjpwYXNz", "Bearer "])
def test_no_valid_key_is_401_with_the_scheme(header):
    client = ApiClient(HTTP_AUTHORIZATION=header) if header else ApiClient()
    body = problem(client.get(f"{API}/orders"), 401)
    assert "Authorization: Bearer" in body["detail"]


def test_a_revoked_key_or_a_deactivated_creator_or_company_stops_at_once(admin, partner):
    for stop in ("revoke", "user", "partner"):
        token = api_key(admin)
        client = ApiClient(token)
        assert client.get(f"{API}/orders").status_code == 200
        if stop == "revoke":
            ApiKey.objects.filter(hashed_key=api_key_hash(token)).update(revoked_at="2026-01-01T00:00Z")
        elif stop == "user":
            user_set_active(user=admin, active=False)
        else:
            partner.is_active = False
            partner.save()
        problem(client.get(f"{API}/orders"), 401)
        admin.refresh_from_db()
        admin.is_active = True
        admin.save()
        partner.is_active = True
        partner.save()


def test_a_read_only_key_reads_and_never_writes(admin):
    reader = ApiClient(api_key(admin, scope=ApiScope.READ))
    assert reader.get(f"{API}/orders").status_code == 200
    order = draft_with_product(partner=admin.partner, user=admin)
    for method, path, body in [
        ("post", "/orders", NEW_ORDER),
        ("put", f"/orders/{order.public_id}/contact", {"first_name": "A"}),
        ("delete", f"/orders/{order.public_id}/documents/{uuid.uuid4()}", None),
        ("post", f"/orders/{order.public_id}/submit", None),
    ]:
        body = problem(reader.send(method, path, body), 403)
        assert "lecture seule" in body["detail"]
    assert Order.objects.count() == 1


def test_another_partners_key_sees_nothing_of_ours(admin, erp, other_partner):
    order = draft_with_product(partner=admin.partner, user=admin)
    site = SiteFactory(partner=admin.partner)
    theirs = ApiClient(api_key(PartnerAdminFactory(partner=other_partner)))
    for path in [f"/orders/{order.public_id}", f"/orders/{order.public_id}/missing",
                 f"/orders/{order.public_id}/messages", f"/sites/{site.number}"]:
        assert erp.get(f"{API}{path}").status_code == 200, path
        problem(theirs.get(f"{API}{path}"), 404)
    problem(theirs.send("put", f"/orders/{order.public_id}/contact", {"first_name": "Pirate"}), 404)
    assert theirs.get(f"{API}/orders").json()["items"] == []
    assert theirs.get(f"{API}/sites").json()["items"] == []


def test_the_last_use_is_kept_without_a_write_per_request(admin, django_assert_max_num_queries):
    token = api_key(admin)
    client = ApiClient(token)
    client.get(f"{API}/catalog/order-types")
    key = ApiKey.objects.get(hashed_key=api_key_hash(token))
    assert key.last_used_at is not None
    with django_assert_max_num_queries(2):  # the key with its user and company; the types
        client.get(f"{API}/catalog/order-types")


# --------------------------------------------------------------------------------------------- problems

def test_a_refused_field_gets_the_portals_message_in_the_asked_language(admin):
    order = draft_with_product(partner=admin.partner, user=admin)
    from tests.factories_orders import _answer_site_step

    _answer_site_step(order)
    token = api_key(admin)
    for language in ("fr", "en"):
        client = ApiClient(token, language=language)
        response = client.send("put", f"/orders/{order.public_id}/contact",
                               {"civility": "mrs", "first_name": "Jeanne", "last_name": "Martin",
                                "function": "DSI", "email": "jeanne@", "phone": "04 72 00 00 00"})
        body = problem(response, 422)
        assert response["Content-Language"] == language
        with translation.override(language):
            form = ContactForm(data={"contact_email": "jeanne@"}, order=order, user=admin)
            expected = " ".join(form.errors["contact_email"])
        assert {"pointer": "#/email", "detail": expected} in body["errors"]
        assert all(error["pointer"].startswith("#/") for error in body["errors"])
    assert ApiClient(token, language="en").get(f"{API}/orders/{uuid.uuid4()}").json()["title"] == "Not found"


def test_a_badly_typed_body_is_refused_field_by_field_in_french(erp, admin):
    order = draft_with_product(partner=admin.partner, user=admin)
    body = problem(erp.send("put", f"/orders/{order.public_id}/product",
                            {"generation": "ONE", "lines": [{"reference": "X", "quantity": "beaucoup"}]}), 422)
    pointers = {error["pointer"]: error["detail"] for error in body["errors"]}
    assert pointers["#/solution"] == "Ce champ est obligatoire."
    assert pointers["#/lines/0/quantity"] == "Saisissez un nombre entier."
    body = problem(erp.send("post", "/orders", None), 422)
    assert body["errors"]


def test_a_query_out_of_range_is_refused_with_djangos_own_sentence(erp):
    body = problem(erp.get(f"{API}/orders", {"per_page": 1000, "page": 0}), 422)
    assert {error["pointer"]: error["detail"] for error in body["errors"]} == {
        "#/per_page": "Assurez-vous que cette valeur est inférieure ou égale à 100.",
        "#/page": "Assurez-vous que cette valeur est supérieure ou égale à 1.",
    }


def test_a_rule_of_the_wizard_refuses_the_same_way(erp, admin):
    created = erp.send("post", "/orders", {"order_type": "ADDITIONAL", "origin": "NEW_SITE"})
    body = problem(created, 422)
    assert body["errors"] == [{"pointer": "#/origin",
                               "detail": "Cette origine n'est pas permise pour le type de commande choisi."}]
    assert Order.objects.count() == 0  # a refused first answer leaves no draft, as in the portal
    order_id = erp.send("post", "/orders", NEW_ORDER).json()["order"]["id"]
    body = problem(erp.send("put", f"/orders/{order_id}/contact", {"first_name": "A"}), 409)
    assert body["detail"] == "Complétez d'abord l'étape « Produit et références »."
    body = problem(erp.send("post", f"/orders/{order_id}/submit"), 422)
    assert body["detail"] == "La commande est incomplète."
    assert {error["pointer"] for error in body["errors"]} >= {"#/product", "#/site", "#/contact"}


# ------------------------------------------------------------------------------------------ idempotency

def test_the_same_idempotency_key_and_body_answer_the_first_answer(erp):
    first = erp.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="commande-42")
    again = erp.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="commande-42")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    other = erp.send("post", "/orders", {**NEW_ORDER, "origin": "OPPORTUNITY"}, HTTP_IDEMPOTENCY_KEY="commande-42")
    assert "déjà servi" in problem(other, 422)["detail"]
    erp.send("post", "/orders", NEW_ORDER)
    erp.send("post", "/orders", NEW_ORDER)
    assert Order.objects.count() == 3  # without the header, each POST is a new request


def test_an_upload_sent_twice_with_its_idempotency_key_is_one_document(erp, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories_steps import PDF_BYTES

    order = draft_with_product(partner=admin.partner, user=admin)
    big = PDF_BYTES + b"%" + b"0" * (4 * 1024 * 1024)  # past what Django reads into memory as a body

    def upload(name):
        return erp.post(f"{API}/orders/{order.public_id}/documents",
                        {"kind": "purchase_order", "file": SimpleUploadedFile(name, big, "application/pdf")},
                        HTTP_IDEMPOTENCY_KEY="bon-1")

    first, again = upload("bon.pdf"), upload("bon.pdf")
    assert first.status_code == again.status_code == 201, first.content
    assert first.json() == again.json() and order.documents.count() == 1
    assert problem(upload("autre.pdf"), 422)["detail"].startswith("Cette clé Idempotency-Key a déjà servi")


def test_a_refused_request_keeps_no_idempotency_key(erp):
    problem(erp.send("post", "/orders", {"order_type": "NOPE", "origin": "NEW_SITE"}, HTTP_IDEMPOTENCY_KEY="k1"), 422)
    assert not ApiIdempotentRequest.objects.exists()
    assert erp.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="k1").status_code == 201


def test_kept_answers_are_forgotten_after_a_day(erp):
    from mybusiness.services import api_idempotency_purge

    erp.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="old")
    erp.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="new")
    ApiIdempotentRequest.objects.filter(key="old").update(created_at="2020-01-01T00:00Z")
    assert api_idempotency_purge() == 1
    assert list(ApiIdempotentRequest.objects.values_list("key", flat=True)) == ["new"]


def test_idempotency_keys_belong_to_their_api_key(admin, erp):
    other_key = ApiClient(api_key(admin, name="Autre"))
    erp.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="same")
    other_key.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="same")
    assert Order.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_sent_twice_at_once_makes_one_order(partner):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writes need PostgreSQL (SQLite serialises them)")
    token = api_key(PartnerAdminFactory(partner=partner))
    barrier, statuses = threading.Barrier(4), []

    def send():
        client = ApiClient(token)
        barrier.wait()
        statuses.append(client.send("post", "/orders", NEW_ORDER, HTTP_IDEMPOTENCY_KEY="at-once").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Order.objects.count() == 1
    assert set(statuses) <= {201, 409} and 201 in statuses


# ------------------------------------------------------------------------------------------- rate limit

def test_the_rate_limit_is_per_key_with_retry_after(admin, settings):
    settings.API_RATE_LIMIT = "3/h"
    busy, quiet = ApiClient(api_key(admin)), ApiClient(api_key(admin, name="Autre"))
    assert [busy.get(f"{API}/catalog/order-types").status_code for _ in range(3)] == [200] * 3
    refused = busy.get(f"{API}/catalog/order-types")
    problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert quiet.get(f"{API}/catalog/order-types").status_code == 200


# ----------------------------------------------------------------------------------------------- schema

def test_the_schema_is_openapi_3_1_and_documented(client):
    schema = client.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert schema["components"]["securitySchemes"]
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200 and b"cdn." not in docs.content


# ------------------------------------------------------------------------------------------- keys page

def test_a_partner_admin_creates_sees_once_and_revokes_a_key(client_for, admin):
    client = client_for(admin)
    page = client.get(reverse("api_keys"))
    assert page.status_code == 200
    creation_key = page.context["form"].initial["creation_key"]
    form = {"name": "ERP interne", "scope": ApiScope.WRITE, "creation_key": creation_key}
    shown = client.post(reverse("api_keys"), form, follow=True)
    token = shown.context["new_key"]["token"]
    assert token.startswith("mbk_") and token.encode() in shown.content
    client.post(reverse("api_keys"), form)  # a double click
    assert ApiKey.objects.filter(partner=admin.partner).count() == 1
    assert token.encode() not in client.get(reverse("api_keys")).content  # shown once
    assert ApiClient(token).get(f"{API}/orders").status_code == 200
    key = ApiKey.objects.get()
    client.post(reverse("api_key_revoke", args=[key.public_id]))
    assert ApiClient(token).get(f"{API}/orders").status_code == 401


def test_the_keys_page_refuses_a_missing_name_in_french(client_for, admin):
    response = client_for(admin).post(reverse("api_keys"), {"name": "", "scope": ApiScope.READ})
    assert "Donnez un nom à la clé" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_only_partner_admins_reach_the_keys_page(client_for, partner, other_partner):
    assert client_for(UserFactory(partner=partner)).get(reverse("api_keys")).status_code == 403
    theirs = api_key_create(admin=PartnerAdminFactory(partner=other_partner), name="x", scope=ApiScope.READ)[0]
    client = client_for(PartnerAdminFactory(partner=partner))
    assert client.post(reverse("api_key_revoke", args=[theirs.public_id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_rule_a_service_refuses_is_a_problem_with_its_message(erp, admin):
    site = SiteFactory(partner=admin.partner)
    body = problem(erp.send("post", f"/sites/{site.number}/change-requests", {"city": site.city}), 422)
    assert body["detail"] == "Aucune information n'a été modifiée : il n'y a rien à soumettre."
