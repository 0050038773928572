"""R2 for the back office: the review actions and their reasons, messages, the cloud team's activation
forms, certificate re-sending, site change request decisions, and the admin lists' query strings."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from certificates.models import Certificate
from orders.models import Activation, OrderComment, OrderStatus
from sites import services as site_services
from sites.models import ChangeRequestStatus
from tests.factories_backoffice import ODATA_LINES, submitted_order
from tests.factories_certs import CertSiteFactory, order_at
from tests.factories_sites import SiteFactory
from tests.factories_steps import PDF_BYTES
from tests.fuzz.checks import (
    assert_accepted_or_refused,
    assert_flashed_clear,
    assert_no_nul_stored,
    assert_no_server_error,
    get_query,
    looks_french,
    post_form,
    rolled_back,
)
from tests.fuzz.strategies import (
    field,
    form_data,
    fuzz_settings,
    hostile_date_text,
    hostile_query,
    hostile_text,
    hostile_value,
    page_numbers,
)

pytestmark = pytest.mark.django_db

REASON = field(st.just("Le SIRET ne correspond pas au client."), max_length=4000)


@pytest.fixture
def order(partner, partner_user):
    return submitted_order(partner=partner, user=partner_user)


@pytest.mark.parametrize("action", ["valider", "refuser", "renvoyer"])
@fuzz_settings(12)
@given(form=form_data(reason=REASON))
def test_each_review_action_is_done_or_refused_field_by_field(client, sales_admin, order, action, form):
    data, refused = form
    client.force_login(sales_admin)
    with rolled_back():
        response = post_form(client, reverse("admin:orders_order_review", args=[order.pk, action]), data)
        assert_accepted_or_refused(response, refused_fields=refused)
        order.refresh_from_db()
        assert (order.status == OrderStatus.SUBMITTED) is (response.status_code != 302)
        assert_no_nul_stored()


@fuzz_settings(15)
@given(form=form_data(body=field(st.just("Merci de joindre le Kbis."), max_length=5000),
                      internal=field(st.sampled_from(["", "on"]))))
def test_an_admin_message_is_sent_or_refused_with_a_clear_message(client, sales_admin, order, form):
    data, refused = form
    refused.discard("internal")  # a checkbox: any value sent is « checked »
    client.force_login(sales_admin)
    with rolled_back():
        before = OrderComment.objects.count()
        response = post_form(client, reverse("admin:orders_order_comment", args=[order.pk]), data)
        assert_no_server_error(response)
        assert response.status_code == 302
        messages = assert_flashed_clear(response)
        if refused:
            assert OrderComment.objects.count() == before and messages
        assert_no_nul_stored()


@pytest.fixture
def activations(partner, partner_user):
    site = CertSiteFactory(partner=partner)
    plain = order_at(OrderStatus.IN_ACTIVATION, partner=partner, site=site, user=partner_user,
                     lines=(("ONE-ERP-USER", 3), ("SAAS-ENV", 1)))
    odata = order_at(OrderStatus.IN_ACTIVATION, partner=partner, site=site, user=partner_user, lines=ODATA_LINES,
                     solution_code="ONE_ERP_CRM")
    return {"plain": Activation.objects.get(order=plain), "odata": Activation.objects.get(order=odata)}


URLS = st.sampled_from(["https://odata.client.example/service", "odata.client.example", ""])


@pytest.mark.parametrize("which", ["plain", "odata"])
@fuzz_settings(12)
@given(form=form_data(production=field(URLS, max_length=500), recette=field(URLS, max_length=500)))
def test_marking_an_activation_done_is_done_or_refused_field_by_field(client, cloud_member, activations, which,
                                                                      form):
    data, refused = form
    activation = activations[which]
    if which == "plain":
        refused.clear()  # no address asked for: what is sent is ignored
    client.force_login(cloud_member)
    with rolled_back():
        response = post_form(client, reverse("admin:orders_activation_work", args=[activation.pk, "activer"]), data)
        assert_accepted_or_refused(response, refused_fields=refused)
        assert_no_nul_stored()


@fuzz_settings(12)
@given(form=form_data(reason=REASON))
def test_flagging_a_blocked_activation_is_done_or_refused_field_by_field(client, cloud_member, activations, form):
    data, refused = form
    client.force_login(cloud_member)
    with rolled_back():
        url = reverse("admin:orders_activation_work", args=[activations["plain"].pk, "bloquer"])
        response = post_form(client, url, data)
        assert_accepted_or_refused(response, refused_fields=refused)
        assert_no_nul_stored()


@pytest.fixture
def certificate(partner, partner_user):
    order = order_at(OrderStatus.COMPLETED, partner=partner, user=partner_user)
    certificate = Certificate(order=order, kind="licence", number="CERT-2026-999001",
                              recipients=["destinataire@client.example"])
    certificate.pdf.save("certificat.pdf", ContentFile(PDF_BYTES), save=True)
    return certificate


@fuzz_settings(12)
@given(form=form_data(reason=field(st.just("Le client n'a rien reçu."), max_length=500)))
def test_resending_a_certificate_is_done_or_refused_field_by_field(client, sales_admin, certificate, form):
    data, refused = form
    client.force_login(sales_admin)
    with rolled_back():
        response = post_form(client, reverse("admin:certificates_certificate_resend", args=[certificate.pk]), data)
        assert_accepted_or_refused(response, refused_fields=refused)
        assert_no_nul_stored()


@pytest.fixture
def change_request(partner, partner_user):
    site = SiteFactory(partner=partner, city="Lyon", postal_code="69003")
    return site_services.site_change_request_create(
        site=site, user=partner_user, data={"city": "Villeurbanne", "postal_code": "69100"}
    )


DECISIONS = st.one_of(st.sampled_from(["approved", "rejected", "pending", ""]), hostile_value())


@fuzz_settings(15)
@given(data=st.data())
def test_change_request_decisions_are_recorded_or_refused_field_by_field(client, sales_admin, change_request, data):
    rows = list(change_request.fields.order_by("pk"))
    post = {
        # Django builds up to a thousand forms for a claimed TOTAL_FORMS: a few are enough to tamper with.
        "fields-TOTAL_FORMS": data.draw(st.sampled_from([str(len(rows)), "0", "5", "-1", "abc", "\x00", "1e308"]),
                                        label="total"),
        "fields-INITIAL_FORMS": data.draw(st.sampled_from([str(len(rows)), "0", "4", "-1", "x"]), label="initial"),
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
        "_save": "Enregistrer",
    }
    refused, tampered = set(), post["fields-TOTAL_FORMS"] != str(len(rows))
    tampered |= post["fields-INITIAL_FORMS"] != str(len(rows))
    for index, row in enumerate(rows):
        decision = data.draw(DECISIONS, label=f"decision {index}")
        reason, verdict = data.draw(field(st.sampled_from(["", "Adresse non conforme."])), label=f"reason {index}")
        row_id = data.draw(st.one_of(st.just(str(row.pk)), hostile_text()), label="id")
        tampered |= row_id != str(row.pk)
        post.update({f"fields-{index}-id": row_id, f"fields-{index}-change_request": str(change_request.pk),
                     f"fields-{index}-decision": decision, f"fields-{index}-reason": reason})
        if verdict:
            refused.add(index)
    client.force_login(sales_admin)
    with rolled_back():
        url = reverse("admin:customer_sites_sitechangerequest_change", args=[change_request.pk])
        response = post_form(client, url, post)
        assert_no_server_error(response)
        change_request.refresh_from_db()
        if response.status_code == 302:
            # Saved, or refused by the review service with a message (a decision or a reason missing).
            assert not refused or tampered, f"a NUL reason in row(s) {refused} was not refused by the form"
            assert_flashed_clear(response)
        else:
            assert response.status_code == 200
            assert change_request.status == ChangeRequestStatus.PENDING
            errors = [str(error) for error in response.context["errors"]]
            assert errors and all(looks_french(error) for error in errors), errors
        assert_no_nul_stored()


ADMIN_LISTS = {
    "admin:orders_order_changelist": ["q", "statut", "attribution", "retard", "order_type__id__exact",
                                      "generation__id__exact", "partner_code", "created_from", "created_to", "o", "p",
                                      "e", "_popup"],
    "admin:orders_activation_changelist": ["q", "etat", "attribution", "retard", "o", "p"],
    "admin:customer_sites_site_changelist": ["q", "status__exact", "hosting__exact", "generation__id__exact",
                                             "solution__id__exact", "o", "p"],
    "admin:customer_sites_sitechangerequest_changelist": ["q", "status__exact", "o", "p"],
    "admin:certificates_certificate_changelist": ["q", "kind__exact", "issued_at__year", "issued_at__month", "o",
                                                  "p"],
}


@pytest.mark.parametrize("name", sorted(ADMIN_LISTS))
@fuzz_settings(12)
@given(data=st.data())
def test_the_admin_lists_answer_any_query_string(client, sales_admin, cloud_member, order, activations, name, data):
    params = data.draw(hostile_query(ADMIN_LISTS[name], extra_keys=False), label="params")
    if data.draw(st.booleans(), label="dates and pages"):
        params["p"] = data.draw(page_numbers(), label="p")
        params["created_from"] = data.draw(hostile_date_text(), label="from")
        params["created_to"] = data.draw(hostile_date_text(), label="to")
    client.force_login(cloud_member if "activation" in name else sales_admin)
    with rolled_back():
        response = get_query(client, reverse(name), params)
        assert_no_server_error(response)
        # An unknown filter is the admin's « ?e=1 » redirect; a page past the end, a 404.
        assert response.status_code in (200, 302, 404)


@fuzz_settings(10)
@given(object_id=hostile_text(), action=hostile_text())
def test_hostile_admin_addresses_are_not_found(client, sales_admin, order, object_id, action):
    from urllib.parse import quote

    client.force_login(sales_admin)
    with rolled_back():
        for url in (
            f"/admin/orders/order/{quote(object_id, safe='')}/change/",
            f"/admin/orders/order/{order.pk}/examen/{quote(action, safe='')}/",
            f"/admin/orders/order/{quote(object_id, safe='')}/examen/valider/",
            f"/admin/orders/activation/{quote(object_id, safe='')}/activer/",
            f"/admin/certificates/certificate/{quote(object_id, safe='')}/renvoyer/",
        ):
            response = client.get(url)
            assert_no_server_error(response)
            # 400: Django refuses to redirect to an address past 16,384 characters (DisallowedRedirect).
            assert response.status_code in (200, 302, 400, 403, 404)


@fuzz_settings(6)
@given(object_id=st.sampled_from([str(2**31), str(2**63), str(2**64), "9" * 30]))
def test_overflowing_admin_ids_are_not_found(client, sales_admin, order, object_id):
    client.force_login(sales_admin)
    with rolled_back():
        for url in (
            f"/admin/orders/order/{object_id}/examen/valider/",
            f"/admin/orders/order/{object_id}/message/",
            f"/admin/orders/order/{order.pk}/documents/{object_id}/",
            f"/admin/certificates/certificate/{object_id}/renvoyer/",
        ):
            response = client.post(url) if url.endswith("message/") else client.get(url)
            assert_no_server_error(response)
            assert response.status_code in (302, 404)


@pytest.mark.parametrize(
    "total, initial, row_id",
    [("5", "2", None), ("2", "2", "abc"), ("2", "4", None), ("2", "0", None)],
    ids=["more-rows-claimed", "unknown-row-id", "more-initial-rows", "rows-as-new"],
)
def test_a_tampered_decision_form_comes_back_with_its_errors(client, sales_admin, change_request, total, initial,
                                                             row_id):
    """Found by the fuzz test above: a row the request does not have was shown, and crashed the page."""
    post = {"fields-TOTAL_FORMS": total, "fields-INITIAL_FORMS": initial, "fields-MIN_NUM_FORMS": "0",
            "fields-MAX_NUM_FORMS": "1000", "_save": "Enregistrer"}
    for index, row in enumerate(change_request.fields.order_by("pk")):
        post.update({f"fields-{index}-id": row_id or str(row.pk), f"fields-{index}-change_request": str(
            change_request.pk), f"fields-{index}-decision": "rejected", f"fields-{index}-reason": "a\x00b"})
    client.force_login(sales_admin)
    response = post_form(client, reverse("admin:customer_sites_sitechangerequest_change", args=[change_request.pk]),
                         post)
    assert_no_server_error(response)
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING
    assert_no_nul_stored()


@pytest.mark.parametrize("name, known_action", [("admin:orders_order_changelist", "validate_selected"),
                                                ("admin:catalog_origin_changelist", "delete_selected")])
@fuzz_settings(10)
@given(
    action=st.one_of(st.just("KNOWN"), hostile_text()),
    selected=st.lists(st.one_of(st.sampled_from(["ORDER", "0", "-1", str(2**63), "1e308"]), hostile_text()),
                      max_size=4),
    index=st.one_of(st.just("0"), hostile_text()),
    select_across=st.sampled_from(["0", "1", "", "abc"]),
)
def test_the_list_actions_take_any_selection(client, sales_admin, order, name, known_action, action, selected,
                                             index, select_across):
    selected = [str(order.pk) if item == "ORDER" else item for item in selected]
    action = known_action if action == "KNOWN" else action
    client.force_login(sales_admin)
    with rolled_back():
        response = post_form(client, reverse(name), {
            "action": action, "_selected_action": selected, "index": index, "select_across": select_across,
        })
        assert_no_server_error(response)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert_flashed_clear(response)


@pytest.mark.parametrize("bounds", [{"created_to": "9999-12-31"}, {"created_from": "0001-01-01"},
                                    {"created_from": "9999-12-31", "created_to": "0001-01-01"}])
def test_the_order_list_takes_the_calendar_s_first_and_last_days(client, sales_admin, order, bounds):
    """Found by the fuzz test above (explore profile): the day after 9999-12-31 was a server error."""
    client.force_login(sales_admin)
    response = get_query(client, reverse("admin:orders_order_changelist"), bounds)
    assert response.status_code == 200
