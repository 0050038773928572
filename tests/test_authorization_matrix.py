"""R1: every named URL × {anonymous, own partner, other partner, sales admin, cloud team}.

Built from the URL configuration: a URL name without an expectation below fails the test,
so a new page cannot be added without saying who may reach it. A role that may not reach
a URL must get a redirect to the login page, 403, 404 or 405 — never a page with data.
(The Django admin is Django's own and its permissions are tested in the back-office tests; the API's
routes, whose callers are keys, not sessions, have their own matrix: tests/test_api_matrix.py.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from mybusiness import services
from tests.urlconf import url_names
from tests.world import partner_world
from webhooks import services as webhook_services

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "own", "other", "sales_admin", "cloud"]
EVERYONE = set(ROLES)
PARTNER = {"own"}
PARTNER_AND_ADV = {"own", "sales_admin"}
# Pages of a partner's own lists: every partner user reaches them, each seeing only their company's rows.
ANY_PARTNER = {"own", "other"}
SIGNED_IN = {"own", "other", "sales_admin", "cloud"}

# name: (method, roles allowed, kwargs builder key)
EXPECTED = {
    "login": ("get", EVERYONE),
    # Logging out ends on the login page, whoever asks: its success looks like a refusal.
    "logout": ("post", set()),
    "password_change": ("get", SIGNED_IN),
    "password_change_done": ("get", SIGNED_IN),
    "password_reset": ("get", EVERYONE),
    # The second factor's pages: anyone signed in (each acts on one's own account only).
    "two_factor_verify": ("get", SIGNED_IN),
    "two_factor_setup": ("get", SIGNED_IN),
    # The QR code of an application being added: only the own partner admin is adding one (world).
    "two_factor_qr": ("get", PARTNER),
    "two_factor_codes": ("get", SIGNED_IN),
    "two_factor_codes_renew": ("post", SIGNED_IN),
    "two_factor_disable": ("post", SIGNED_IN),
    "password_reset_done": ("get", EVERYONE),
    "password_reset_confirm": ("get", EVERYONE),
    "password_reset_complete": ("get", EVERYONE),
    "partner_users": ("get", ANY_PARTNER),
    "partner_user_invite": ("get", ANY_PARTNER),
    "partner_user_deactivate": ("post", PARTNER),
    "partner_user_reactivate": ("post", PARTNER),
    # Each partner admin manages its own company's keys.
    "api_keys": ("get", ANY_PARTNER),
    "api_key_revoke": ("post", PARTNER),
    # And its webhook endpoints.
    "webhook_endpoints": ("get", ANY_PARTNER),
    "webhook_endpoint": ("get", PARTNER),
    "webhook_endpoint_test": ("post", PARTNER),
    "webhook_endpoint_rotate": ("post", PARTNER),
    "webhook_endpoint_reactivate": ("post", PARTNER),
    "webhook_endpoint_delete": ("post", PARTNER),
    "set_language": ("post", EVERYONE),
    "javascript-catalog": ("get", EVERYONE),
    "healthz": ("get", EVERYONE),
    "home": ("get", SIGNED_IN),
    # Sales admins browse every partner's sites (read-only).
    "site_list": ("get", ANY_PARTNER | {"sales_admin"}),
    "site_card": ("get", ANY_PARTNER),
    "site_detail": ("get", PARTNER_AND_ADV),
    "site_change_request": ("get", PARTNER),
    "opportunity_list": ("get", ANY_PARTNER),
    "opportunity_browse_linkable": ("get", ANY_PARTNER),
    "opportunity_detail": ("get", PARTNER),
    "certificate_download": ("get", PARTNER_AND_ADV),
    "order_list": ("get", ANY_PARTNER),
    "order_create": ("get", ANY_PARTNER),
    # Each partner exports its own list (the rows' secrets are checked like a page's).
    "order_list_export": ("get", ANY_PARTNER),
    "order_create_fragment": ("get", ANY_PARTNER),
    "order_odata_request": ("post", PARTNER),
    "order_detail": ("get", PARTNER_AND_ADV),
    "order_submit": ("post", PARTNER),
    "order_comment_create": ("post", PARTNER_AND_ADV),
    "order_cancel": ("post", PARTNER),
    "order_draft_delete": ("post", PARTNER),
    "order_wizard": ("get", PARTNER),
    "order_wizard_fragment": ("get", PARTNER),
    "order_document_upload": ("post", PARTNER),
    "order_document_download": ("get", PARTNER_AND_ADV),
    "order_document_remove": ("post", PARTNER),
    "order_site_browse": ("get", PARTNER),
    # The dashboard's charts (an image each), for sales administration only.
    "backoffice_chart": ("get", {"sales_admin"}),
}


def portal_url_names() -> set[str]:
    return {name for name in url_names() if not name.startswith("api:")}


def test_every_named_url_has_an_expectation():
    assert sorted(portal_url_names() - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - portal_url_names()) == []


@pytest.fixture
def world(partner, partner_user, partner_admin, other_partner, outsider, sales_admin, cloud_member):
    """One of everything owned by ``partner``, and the five roles."""
    world = partner_world(partner=partner, user=partner_admin)
    draft, document, certificate = world.draft, world.document, world.certificate
    site, opportunity, colleague = world.site, world.opportunity, world.colleague
    services.totp_enrolment_start(user=partner_admin)
    key, _token = services.api_key_create(admin=partner_admin, name="ERP", scope="read")
    endpoint = webhook_services.endpoint_create(admin=partner_admin, url="https://erp.example/hooks",
                                                description="", events=["order.validated"])
    users = {"anonymous": None, "own": partner_admin, "other": outsider, "sales_admin": sales_admin,
             "cloud": cloud_member}
    kwargs = {
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "partner_user_deactivate": {"public_id": colleague.public_id},
        "partner_user_reactivate": {"public_id": colleague.public_id},
        "api_key_revoke": {"public_id": key.public_id},
        **{name: {"public_id": endpoint.public_id} for name in (
            "webhook_endpoint", "webhook_endpoint_test", "webhook_endpoint_rotate", "webhook_endpoint_reactivate",
            "webhook_endpoint_delete")},
        "site_detail": {"number": site.number},
        "site_change_request": {"number": site.number},
        "opportunity_detail": {"number": opportunity.number},
        "certificate_download": {"public_id": certificate.public_id},
        "order_odata_request": {"number": site.number},
        "order_wizard": {"public_id": draft.public_id, "step": "type"},
        "order_wizard_fragment": {"public_id": draft.public_id, "step": "type", "fragment": "origins"},
        "order_create_fragment": {"fragment": "origins"},
        "order_list_export": {"file_format": "csv"},
        "backoffice_chart": {"name": "commandes-par-semaine"},
        "order_document_download": {"public_id": draft.public_id, "document_id": document.public_id},
        "order_document_remove": {"public_id": draft.public_id, "document_id": document.public_id},
    }
    for name in ("order_detail", "order_submit", "order_comment_create", "order_cancel", "order_draft_delete",
                 "order_document_upload", "order_site_browse"):
        kwargs[name] = {"public_id": draft.public_id}
    # What the other partner must never see on its own pages.
    secrets = [site.number, opportunity.number, str(draft.public_id), colleague.email, partner_admin.email]
    return users, kwargs, secrets


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_what_it_should(name, world, client):
    users, kwargs, secrets = world
    method, allowed = EXPECTED[name]
    url = reverse(name, kwargs=kwargs.get(name))
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = getattr(client, method)(url, HTTP_HX_REQUEST="true")
        if role in allowed:
            assert not refused(response) or response.status_code == 405, (name, role, response.status_code)
            if role == "other":
                raw = b"".join(response.streaming_content) if response.streaming else response.content
                body = raw.decode(errors="replace")
                assert not [secret for secret in secrets if secret in body], (name, "leaks the own partner's data")
        else:
            assert refused(response), (name, role, response.status_code)
