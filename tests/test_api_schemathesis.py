"""Schemathesis against the API's served schema: every operation, as the demo partner's key, fed values
generated from the schema, valid and invalid (R11 for the API): no server error, and every answer is one
the schema declares (its status and its body's shape).

The API runs in this process (schemathesis's WSGI transport), on the test database seeded by the demo's
own ``seed_demo``. Path parameters are drawn half from the demo's real identifiers, half generated, so
that operations are exercised on objects that exist, not only answered 404.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from certificates.models import Certificate
from mybusiness.demo import DEMO_API_KEY
from mybusiness.models import User
from opportunities.models import Opportunity
from orders.models import Order, OrderDocument
from sites.models import Site
from tests.api import API

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _real_values(partner) -> dict[str, list[str]]:
    orders = Order.objects.filter(partner=partner)
    return {
        "order_id": [str(value) for value in orders.values_list("public_id", flat=True)[:20]],
        "document_id": [str(value) for value in OrderDocument.objects.filter(order__partner=partner)
                        .values_list("public_id", flat=True)[:5]],
        "number": [*Site.objects.filter(partner=partner).values_list("number", flat=True)[:5],
                   *Opportunity.objects.filter(partner=partner).values_list("number", flat=True)[:5]],
        "certificate_id": [str(value) for value in Certificate.objects.filter(order__partner=partner)
                           .values_list("public_id", flat=True)[:5]],
    }


# The catalog's codes, by the path's collection.
CODES = {"order-types": ["ADDITIONAL", "NEW_CUSTOMER"], "generations": ["ONE"], "solutions": ["ONE_ERP_CRM"]}


@pytest.fixture
def test_connection_kept():
    """The WSGI handler closes the database connection after each request (Django's test client stops it
    the same way): here it would close the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.usefixtures("test_connection_kept")
def test_every_operation_answers_as_its_schema_says(settings):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 — devnull, closed with the process
    admin = User.objects.get(email="partner-admin@demo.example")
    settings.API_RATE_LIMIT = "1000000/m"  # the rate limit has its own test (tests/test_api.py)
    token = DEMO_API_KEY  # the demo's key, as the README's examples use it
    real = _real_values(admin.partner)
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "fr"}
    answered: dict[str, set[int]] = {}

    # Positive cases (as the schema describes) and negative ones (anything it does not): R11's absurd values.
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    for operation, mode in [(operation, mode) for operation in operations for mode in modes]:

        @given(case=operation.as_strategy(generation_mode=mode),
               picks=st.lists(st.integers(0, 40), min_size=6, max_size=6))
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(HealthCheck))
        def check(case, picks):
            for name, pick in zip(list(case.path_parameters or {}), picks, strict=False):
                collection = case.operation.path.split("/")[-3] if name == "code" else ""
                choices = CODES.get(collection) or real.get(name) or []
                if choices and pick % 2 == 0:  # half the time, an object that exists
                    case.path_parameters[name] = choices[pick % len(choices)]
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            answered.setdefault(case.operation.label, set()).add(response.status_code)

        check()

    # Not only refusals: every reading operation answered at least once with what it reads.
    readers = [label for label in answered if label.startswith("GET ")]
    assert len(answered) == len(operations)
    assert [label for label in readers if not any(200 <= status < 300 for status in answered[label])] == []
