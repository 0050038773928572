"""R1 for the API: every operation of the served schema × {anonymous, a portal session, the own partner's key,
another partner's key, the own partner's read-only key}.

Built from the schema: an operation added to the API is in the matrix at once. A key sees only its own
company's objects (another partner's key gets 404 on them, and its lists hold none of them); a read-only
key writes nothing (403); without a key, or with a browser's session alone, nothing (401).
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mybusiness.models import ApiScope
from orders.models import Order
from tests.api import API, ApiClient, api_key
from tests.factories_steps import PDF_BYTES
from tests.urlconf import routes
from tests.world import partner_world

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Operations on a collection (no object of a partner in the path): any key reaches them, each seeing its own.
CODES = {"order-types": "ADDITIONAL", "generations": "ONE", "solutions": "ONE_ERP_CRM"}
PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}
# A well-formed body per operation (its path's end), so that each caller reaches the view's own checks.
BODIES = {
    "post /orders": {"order_type": "NEW_CUSTOMER", "origin": "NEW_SITE"},
    "put /type": {"order_type": "NEW_CUSTOMER", "origin": "NEW_SITE"},
    "put /product": {"generation": "ONE", "solution": "ONE_ERP_CRM", "lines": []},
    "put /delivery": {"date": "2030-01-01", "recipients": ["a@client.example"]},
    "post /messages": {"body": "Bonjour"},
}


def send(client, method: str, path: str):
    if path.endswith("/documents") and method == "post":
        upload = SimpleUploadedFile("bon.pdf", PDF_BYTES, content_type="application/pdf")
        return client.post(f"{API}{path}", {"kind": "purchase_order", "file": upload})
    end = "/orders" if path == "/orders" else "/" + path.rsplit("/", 1)[-1]
    return client.send(method, path, BODIES.get(f"{method} {end}", {}))


def operations(client) -> list[tuple[str, str]]:
    schema = client.get(f"{API}/openapi.json").json()
    return sorted((method, path) for path, item in schema["paths"].items() for method in item)


@pytest.fixture
def world(partner, partner_admin, other_partner, outsider):
    world = partner_world(partner=partner, user=partner_admin)
    values = {
        "order_id": str(world.draft.public_id), "document_id": str(world.document.public_id),
        "certificate_id": str(world.certificate.public_id),
    }
    secrets = [world.site.number, world.opportunity.number, str(world.draft.public_id),
               str(world.completed.public_id), world.certificate.number]
    return world, values, secrets


def concrete(path: str, world, values) -> str:
    def value(match):
        name = match.group(1)
        if name == "number":
            return world.opportunity.number if "/opportunities/" in path else world.site.number
        if name == "code":
            return CODES[path.split("/")[-3]]
        if name == "order_id" and "/cancel" in path:
            return str(world.completed.public_id)
        return values[name]

    return PLACEHOLDER.sub(value, path)


def test_every_api_route_is_an_operation_of_the_schema(client):
    served = {path for _method, path in operations(client)}
    for name, route in routes(admin=False):
        if name.startswith("api:") and name not in PUBLIC:
            assert "/" + re.sub(r"<(\w+)>", r"{\1}", route) in served, name


def test_each_caller_gets_what_it_should(world, partner_admin, outsider, client):
    world, values, secrets = world
    own = ApiClient(api_key(partner_admin))
    reader = ApiClient(api_key(partner_admin, scope=ApiScope.READ, name="Lecture"))
    other = ApiClient(api_key(outsider))
    anonymous = ApiClient()
    session = ApiClient()
    session.force_login(partner_admin)
    failures = []
    for method, template in operations(client):
        path = concrete(template, world, values).removeprefix(API)
        is_collection = "{" not in template or "{code}" in template
        for name, caller in [("anonymous", anonymous), ("session", session)]:
            status = send(caller, method, path).status_code
            if status != 401:
                failures.append(f"{name} {method} {path}: {status}")
        if method != "get":
            status = send(reader, method, path).status_code
            if status != 403:
                failures.append(f"read-only {method} {path}: {status}")
        response = send(other, method, path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if is_collection:
            if response.status_code in (401, 403) or response.status_code >= 500:
                failures.append(f"other {method} {path}: {response.status_code}")
            leaked = [secret for secret in secrets if secret.encode() in body]
            if leaked:
                failures.append(f"other {method} {path}: shows {leaked}")
        elif response.status_code != 404:
            failures.append(f"other {method} {path}: {response.status_code}")
        status = send(own, method, path).status_code
        if status in (401, 403, 404) or status >= 500:
            failures.append(f"own {method} {path}: {status}")
    assert failures == []
    assert Order.objects.filter(partner=world.draft.partner).exclude(pk__in=[world.draft.pk, world.completed.pk]) \
        .count() <= 1  # the own key's POST /orders with an empty body made no draft, or one


def test_a_key_is_refused_by_the_portal_pages(partner_admin):
    """The key opens the API, not the pages: a browser's pages still ask for a login."""
    response = ApiClient(api_key(partner_admin)).get(reverse("order_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
