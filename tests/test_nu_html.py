"""Rule 10 of journeys.md: the Nu HTML checker finds no error on the portal's pages (tests/nu.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orders.models import OrderComment
from orders.services.review import order_validate
from tests.conftest import skip_or_fail
from tests.factories import PASSWORD
from tests.factories_backoffice import submitted_order
from tests.factories_certs import CertSiteFactory
from tests.factories_orders import draft_with_product
from tests.nu import java_missing, nu_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def checker():
    missing = java_missing()
    if missing:
        skip_or_fail(missing)  # skipped here, a failure under CI=true
    return nu_errors


def test_nu_errors_names_the_page_and_line_and_filters_htmx_attributes_only(checker):
    head = "<!doctype html><html lang=fr><head><title>t</title></head><body>"
    errors = checker({
        "lien": head + "\n<a rel=prev>x</a></body></html>",
        "htmx": head + "<div hx-get='/x' hx-target='#y' hx-swap='outerHTML'>a</div><div foo=2>b</div></body></html>",
    })
    assert len(errors) == 2
    assert errors[0].startswith("lien:2: ") and "href" in errors[0]
    assert errors[1].startswith("htmx:1: ") and "“foo”" in errors[1]


def test_the_portal_pages_have_no_nu_error(checker, client_for, partner, partner_user, sales_admin):
    # More sites than a page holds (the pager's links), an order with its events, stages and a message.
    site, *_others = CertSiteFactory.create_batch(30, partner=partner)
    submitted = submitted_order(partner=partner, user=partner_user)
    order_validate(order=submitted, user=sales_admin)
    OrderComment.objects.create(order=submitted, author=partner_user, body="Merci !")
    draft = draft_with_product(partner=partner, user=partner_user)
    client = client_for(partner_user)
    urls = {
        "home": reverse("home"),
        "order list": reverse("order_list"),
        "order page": reverse("order_detail", args=[submitted.public_id]),
        "wizard, type": reverse("order_wizard", args=[draft.public_id, "type"]),
        "wizard, produit": reverse("order_wizard", args=[draft.public_id, "produit"]),
        "wizard, site": reverse("order_wizard", args=[draft.public_id, "site"]),
        "site list": reverse("site_list"),
        "site page": reverse("site_detail", args=[site.number]),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    errors = checker(pages)
    assert not errors, "\n".join(errors)


def test_the_two_factor_pages_have_no_nu_error(checker, client_for, partner_admin):
    from mybusiness import services
    from mybusiness.demo import totp_code

    client = client_for(partner_admin)
    pages = {"security, adding an app": client.get(reverse("two_factor_setup")).content.decode()}
    wrong = client.post(reverse("two_factor_setup"), {"code": "12"})
    pages["security, wrong code"] = wrong.content.decode()
    device = services.totp_enrolment_start(user=partner_admin)
    codes_page = client.post(reverse("two_factor_setup"), {"code": totp_code(device)}, follow=True)
    pages["recovery codes"] = codes_page.content.decode()
    pages["security, on"] = client.get(reverse("two_factor_setup")).content.decode()
    client.logout()
    client.post(reverse("login"), {"username": partner_admin.email, "password": PASSWORD})
    pages["verification"] = client.get(reverse("two_factor_verify")).content.decode()
    pages["verification, wrong code"] = client.post(reverse("two_factor_verify"), {"code": "x"}).content.decode()
    assert "Vérification en deux étapes" in pages["verification"]
    errors = checker(pages)
    assert not errors, "\n".join(errors)


def test_the_api_keys_and_webhook_pages_have_no_nu_error(checker, client_for, partner_admin, settings):
    from mybusiness.models import ApiScope
    from webhooks import services as webhooks

    settings.WEBHOOKS_ALLOW_HTTP_LOCALHOST = True
    client = client_for(partner_admin)
    pages = {"keys, refused": client.post(reverse("api_keys"), {"name": ""}).content.decode()}
    created = client.post(reverse("api_keys"), {"name": "ERP", "scope": ApiScope.READ}, follow=True)
    pages["keys, one shown"] = created.content.decode()
    pages["webhooks, refused"] = client.post(reverse("webhook_endpoints"), {"url": "ftp://x"}).content.decode()
    endpoint = webhooks.endpoint_create(admin=partner_admin, url="https://erp.example/hooks", description="ERP",
                                        events=["order.validated"])
    webhooks.endpoint_test(admin=partner_admin, endpoint=endpoint)
    pages["webhook endpoint"] = client.get(reverse("webhook_endpoint", args=[endpoint.public_id])).content.decode()
    assert "webhook.test" in pages["webhook endpoint"]
    errors = checker(pages)
    assert not errors, "\n".join(errors)
