"""R2 for the account pages: login, password reset and change, inviting and (de)activating users, language."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import PASSWORD
from tests.fuzz.checks import (
    assert_accepted_or_refused,
    assert_flashed_clear,
    assert_no_server_error,
    assert_refused,
    post_form,
    rolled_back,
)
from tests.fuzz.strategies import field, form_data, fuzz_settings, hostile_text, hostile_uuid_text, hostile_value

pytestmark = pytest.mark.django_db

emails = st.sampled_from(["user@own.example", "nobody@example.com", "Jeanne.Martin@Boulangerie.example"])


@fuzz_settings(25)
@given(form=form_data(username=field(emails, max_length=254), password=field(st.sampled_from([PASSWORD, "x"]))))
def test_it_refuses_hostile_logins_field_by_field(client, partner_user, form):
    data, refused = form
    with rolled_back():
        response = post_form(client, reverse("login"), data)
        assert_no_server_error(response)
        if response.status_code == 302:
            assert not refused
            client.logout()
        else:
            assert_refused(response, refused)


@fuzz_settings(15)
@given(form=form_data(email=field(emails, max_length=254)))
def test_it_refuses_hostile_password_reset_requests(client, partner_user, form):
    data, refused = form
    with rolled_back():
        response = post_form(client, reverse("password_reset"), data)
        assert_accepted_or_refused(response, refused_fields=refused)


@fuzz_settings(15)
@given(
    form=form_data(
        old_password=field(st.just(PASSWORD)),
        new_password1=field(st.just("Un-nouveau-mot-2-passe")),
        new_password2=field(st.just("Un-nouveau-mot-2-passe")),
    )
)
def test_it_refuses_hostile_password_changes(client, partner_user, form):
    data, refused = form
    client.force_login(partner_user)
    with rolled_back():
        response = post_form(client, reverse("password_change"), data)
        assert_accepted_or_refused(response, refused_fields=refused)


@fuzz_settings(12)
@given(uidb64=hostile_text(nul=False), token=hostile_text(nul=False),
       form=form_data(new_password1=field(st.just("Un-nouveau-mot-2-passe")),
                      new_password2=field(st.just("Un-nouveau-mot-2-passe"))))
def test_it_answers_hostile_password_reset_links(client, partner_user, uidb64, token, form):
    data, _refused = form
    with rolled_back():
        url = f"/compte/mot-de-passe/nouveau/{quote(uidb64, safe='')}/{quote(token, safe='')}/"
        assert_no_server_error(client.get(url))
        assert_no_server_error(post_form(client, url, data))


@fuzz_settings(25)
@given(
    form=form_data(
        email=field(st.sampled_from(["nouveau@own.example", "user@own.example"]), max_length=254),
        first_name=field(st.just("Jeanne"), max_length=150),
        last_name=field(st.just("Martin"), max_length=150),
        role=field(st.sampled_from(["partner_user", "partner_admin"])),
    )
)
def test_it_refuses_hostile_invitations_field_by_field(client, partner_admin, partner_user, form):
    data, refused = form
    client.force_login(partner_admin)
    with rolled_back():
        response = post_form(client, reverse("partner_user_invite"), data)
        assert_accepted_or_refused(response, refused_fields=refused)


@fuzz_settings(12)
@given(public_id=hostile_uuid_text(), active=st.booleans(), extra=st.dictionaries(hostile_text(), hostile_value()))
def test_it_answers_hostile_user_activation_requests(client, partner_admin, public_id, active, extra):
    client.force_login(partner_admin)
    name = "partner_user_reactivate" if active else "partner_user_deactivate"
    with rolled_back():
        url = reverse(name, kwargs={"public_id": uuid.uuid4()})
        # The URL's converter takes only UUIDs: anything else must be the router's 404.
        raw = url.replace(url.split("/")[2], quote(public_id, safe=""))
        for target in (url, raw):
            response = post_form(client, target, extra)
            assert_no_server_error(response)
            assert response.status_code in (302, 404)
            if response.status_code == 302:
                assert_flashed_clear(response)


@fuzz_settings(15)
@given(data=st.dictionaries(st.sampled_from(["language", "next", "x"]), hostile_value(), max_size=3))
def test_it_answers_hostile_language_switches(client, partner_user, data):
    client.force_login(partner_user)
    with rolled_back():
        response = post_form(client, reverse("set_language"), data)
        assert_no_server_error(response)
        assert response.status_code in (204, 302)
        partner_user.refresh_from_db()
        assert partner_user.language in ("fr", "en")


@fuzz_settings(6)
@given(data=st.dictionaries(hostile_text(), hostile_value(), max_size=3), logged_in=st.booleans())
def test_logging_out_takes_any_post(client, partner_user, data, logged_in):
    if logged_in:
        client.force_login(partner_user)
    with rolled_back():
        response = post_form(client, reverse("logout"), data)
        assert_no_server_error(response)
        assert response.status_code in (200, 302)
