"""Accounts an attacker or a careless user cannot bend (issue 20, targets.md R12, R13): one login lock per
account whatever the email's case and spaces, a cap per client address across accounts, the client address
read behind the trusted proxies, the password reset throttled and answering the same, deactivated users and
companies out from their next request and after reactivation, invitations that say nothing about other
companies' accounts, and emails whose text is not HTML-escaped."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from mybusiness.emails import render_email
from mybusiness.models import User
from mybusiness.roles import Role
from mybusiness.security import client_ip
from mybusiness.services import user_set_active
from orders.models import Order
from tests.factories import PASSWORD, PartnerFactory, StaffFactory, UserFactory
from tests.factories_backoffice import eager_celery, submitted_order  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...``: the commit hooks run (emails leave the outbox) as after a real request."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

HOSTILE_NAME = "Bureau d'études \"Test\" & Cie"


def login(client: Client, username: str, password: str = PASSWORD, **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def logged_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


# --- R12: the lockout --------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["user@own.example", "USER@own.example", "  uSeR@Own.Example  "])
def test_every_spelling_of_an_email_counts_against_one_lock(client, partner_user, settings, spelling):
    spellings = ["User@own.example", " user@own.example", "USER@OWN.EXAMPLE ", "uSer@own.example", "user@own.example"]
    for typed in spellings[: settings.AXES_FAILURE_LIMIT]:
        login(client, typed, "wrong")
    # Locked, whatever the spelling of the right password's attempt.
    response = login(client, spelling)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"user@own.example"}


def test_the_lock_holds_from_another_address(client, partner_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "user@own.example", "wrong", REMOTE_ADDR="198.51.100.1")
    assert login(Client(), "user@own.example", REMOTE_ADDR="198.51.100.2").status_code == 429


def test_one_address_trying_many_accounts_is_capped(client, partner, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    users = [UserFactory(partner=partner, email=f"u{n}@own.example") for n in range(4)]
    for user in users[:3]:
        login(client, user.email, "wrong", REMOTE_ADDR="198.51.100.7")
    # Even the right password of an account never tried is refused from that address...
    response = login(client, users[3].email, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    assert "Trop de tentatives de connexion depuis votre réseau" in response.text
    assert not logged_in(client)
    # ...and accepted from another one: no account was locked by it.
    other = Client()
    assert login(other, users[3].email, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_behind_the_proxy_each_client_is_counted_apart(client, partner, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(partner=partner, email="u@own.example")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        login(client, "nobody@own.example", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    blocked = login(Client(), user.email, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert "Trop de tentatives de connexion depuis votre réseau" in blocked.text
    # Another client through the same proxy, even one claiming the blocked address first, logs in.
    assert login(Client(), user.email, HTTP_X_FORWARDED_FOR="203.0.113.5, 203.0.113.9", **proxy).status_code == 302


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy trusted: the header is the client's own words
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the left entry was written by the client
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer entries than proxies: not believed
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_request_without_an_address_has_none():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) is None


# --- R12: the password reset -------------------------------------------------------------------------


def test_the_password_reset_is_throttled_per_email_and_answers_the_same(client, partner_user, settings, committed):
    settings.PASSWORD_RESETS_PER_EMAIL = 2
    answers = []
    for typed in ["user@own.example", "USER@own.example", " user@own.example", "user@own.example"]:
        with committed():
            response = client.post(reverse("password_reset"), {"email": typed})
        answers.append((response.status_code, response.url))
    assert len(mail.outbox) == 2
    assert len(set(answers)) == 1
    # An unknown address gets that same answer.
    response = client.post(reverse("password_reset"), {"email": "nobody@own.example"})
    assert (response.status_code, response.url) == answers[0]


def test_the_password_reset_is_throttled_per_client_address(client, partner, settings, committed):
    settings.PASSWORD_RESETS_PER_ADDRESS = 3
    for n in range(5):
        UserFactory(partner=partner, email=f"r{n}@own.example")
        with committed():
            client.post(reverse("password_reset"), {"email": f"r{n}@own.example"}, REMOTE_ADDR="198.51.100.3")
    assert len(mail.outbox) == 3
    with committed():
        Client().post(reverse("password_reset"), {"email": "r4@own.example"}, REMOTE_ADDR="198.51.100.4")
    assert len(mail.outbox) == 4


def test_the_reset_link_uses_the_portals_address_not_the_requests_host(client, partner_user, settings, committed):
    settings.SITE_URL = "https://portail.example"
    settings.ALLOWED_HOSTS = ["*"]
    with committed():
        client.post(reverse("password_reset"), {"email": "user@own.example"}, HTTP_HOST="evil.example")
    [message] = mail.outbox
    assert "https://portail.example/compte/mot-de-passe/nouveau/" in message.body
    assert "evil.example" not in message.body + message.alternatives[0][0]


def test_emails_with_a_password_link_are_not_readable_in_the_outbox_admin(
    client, client_for, partner_user, partner_admin, sales_admin, committed
):
    from mybusiness.models import OutboxEmail

    with committed():
        client.post(reverse("password_reset"), {"email": partner_user.email})
    admin = client_for(partner_admin)
    with committed():
        admin.post(reverse("partner_user_invite"), {"email": "new@own.example", "first_name": "N", "last_name": "E",
                                                    "role": "partner_user"})
    reset, invitation = OutboxEmail.objects.order_by("pk")
    assert "/compte/mot-de-passe/nouveau/" in reset.body and "/compte/mot-de-passe/nouveau/" in invitation.body
    staff = client_for(sales_admin)
    for email in (reset, invitation):
        page = staff.get(reverse("admin:mybusiness_outboxemail_change", args=[email.pk])).content.decode()
        assert "Masqué" in page and "/compte/mot-de-passe/nouveau/" not in page


# --- R13: deactivation -------------------------------------------------------------------------------


def test_a_deactivated_user_is_out_at_once_and_stays_out_after_reactivation(client, partner, partner_user):
    order = submitted_order(partner=partner, user=partner_user)
    assert login(client, partner_user.email).status_code == 302
    assert logged_in(client)

    user_set_active(user=partner_user, active=False)
    assert not logged_in(client)
    user_set_active(user=partner_user, active=True)
    assert not logged_in(client)  # the old session cookie stays dead
    assert login(client, partner_user.email).status_code == 302
    assert logged_in(client)
    assert Order.objects.filter(pk=order.pk, partner=partner).exists()  # nothing of theirs was deleted


def test_a_partner_admin_deactivating_a_colleague_ends_the_colleagues_session(client_for, partner_admin, partner_user):
    colleague = Client()
    colleague.force_login(partner_user)
    assert logged_in(colleague)
    client_for(partner_admin).post(reverse("partner_user_deactivate", args=[partner_user.public_id]))
    client_for(partner_admin).post(reverse("partner_user_reactivate", args=[partner_user.public_id]))
    assert not logged_in(colleague)


def test_a_deactivated_company_loses_access_and_stays_out_after_reactivation(
    client, client_for, sales_admin, partner, partner_user
):
    user = Client()
    assert login(user, partner_user.email).status_code == 302

    change = reverse("admin:mybusiness_partner_change", args=[partner.pk])
    admin = client_for(sales_admin)
    data = {"code": partner.code, "name": partner.name}  # is_active left out: unticked
    assert admin.post(change, data).status_code == 302
    partner.refresh_from_db()
    assert not partner.is_active
    assert not logged_in(user)
    # Nor can they log in again while the company is inactive.
    assert login(Client(), partner_user.email).status_code == 200

    assert admin.post(change, {**data, "is_active": "on"}).status_code == 302
    assert not logged_in(user)
    assert login(user, partner_user.email).status_code == 302
    assert logged_in(user)
    assert User.objects.filter(pk=partner_user.pk, is_active=True).exists()


def test_a_superuser_deactivating_a_user_in_the_admin_ends_their_sessions(client_for, partner_user):
    user = Client()
    user.force_login(partner_user)
    before = User.objects.get(pk=partner_user.pk).session_generation
    admin = client_for(StaffFactory(is_superuser=True, email="root@vendor.example"))
    change = reverse("admin:mybusiness_user_change", args=[partner_user.pk])
    form = admin.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "is_active"}
    data.update(partner=partner_user.partner_id, groups=[], user_permissions=[], password="x",
                last_login_0="", last_login_1="", date_joined_0="01/01/2026", date_joined_1="10:00:00")
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert User.objects.get(pk=partner_user.pk).session_generation == before + 1
    assert not logged_in(user)


# --- Invitations -------------------------------------------------------------------------------------


def invite(client, email: str):
    return client.post(
        reverse("partner_user_invite"),
        {"email": email, "first_name": "Iris", "last_name": "Invitée", "role": Role.PARTNER_USER},
        follow=True,
    )


@pytest.mark.parametrize("who", ["outsider", "sales_admin", "nobody"])
def test_an_invitation_answers_the_same_whoever_owns_the_address(
    client_for, partner_admin, outsider, sales_admin, who, committed
):
    email = {"outsider": outsider.email, "sales_admin": sales_admin.email, "nobody": "new@elsewhere.example"}[who]
    users_before = set(User.objects.values_list("pk", "partner_id", "email"))
    with committed():
        response = invite(client_for(partner_admin), email.upper())
    assert response.redirect_chain == [(reverse("partner_users"), 302)]
    assert f"Invitation envoyée à {email}" in response.text
    [message] = mail.outbox
    assert message.to == [email]
    if who == "nobody":
        assert User.objects.get(email=email).partner == partner_admin.partner
    else:
        # Nothing created or changed; the address's owner is told someone tried.
        assert set(User.objects.values_list("pk", "partner_id", "email")) == users_before
        assert "Vous en avez déjà un" in message.body


def test_inviting_a_colleague_twice_says_so(client_for, partner_admin, partner_user):
    response = invite(client_for(partner_admin), partner_user.email)
    assert response.status_code == 200
    assert "déjà un compte dans votre société" in response.text
    assert not mail.outbox


# --- Emails: text as typed, HTML escaped ---------------------------------------------------------------


def test_the_text_of_an_email_is_not_escaped_and_its_html_is(client_for, committed):
    partner = PartnerFactory(code="HOSTILE", name=HOSTILE_NAME)
    admin = UserFactory(partner=partner, role=Role.PARTNER_ADMIN, first_name=HOSTILE_NAME, last_name="")
    with committed():
        invite(client_for(admin), "new@hostile.example")
    [message] = mail.outbox
    assert HOSTILE_NAME in message.subject
    assert f"{HOSTILE_NAME} vous a ouvert un compte" in message.body
    assert "&#x27;" not in message.body and "&quot;" not in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "Bureau d&#x27;études &quot;Test&quot; &amp; Cie" in html
    assert HOSTILE_NAME not in html


def test_every_email_renders_its_text_unescaped(partner):
    """The rule is the engine's: subjects and texts go through the ``text`` engine, HTML through Django's."""
    context = {"order": {"number": HOSTILE_NAME}, "user": {"get_short_name": HOSTILE_NAME}, "partner": partner,
               "admin": {"get_full_name": HOSTILE_NAME}, "link": "https://x.example/?a=1&b=2"}
    for template in ("orders/emails/in_activation_partner", "mybusiness/emails/invitation"):
        subject, text, html = render_email(template=template, language="fr", context=context)
        assert HOSTILE_NAME in subject + text, template
        assert "&#x27;" not in subject + text and "&amp;" not in subject + text, template
        assert "&#x27;" in html, template
