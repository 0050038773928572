import pytest
from django.core import mail
from django.urls import reverse

from mybusiness.models import User
from mybusiness.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.factories_backoffice import eager_celery  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_logs_in_by_email_whatever_the_case(client, partner_user):
    response = client.post(reverse("login"), {"username": "USER@Own.Example", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_explains_a_refused_login_in_french(client, partner_user):
    response = client.post(reverse("login"), {"username": "user@own.example", "password": "wrong"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.text


def test_it_locks_the_login_after_repeated_failures(client, partner_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "user@own.example", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "user@own.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_the_login_page_is_french_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="fr">' in response.text
    assert "Connexion à myBusiness" in response.text


def test_it_switches_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    assert "Log in to myBusiness" in response.text


def test_a_partner_user_needs_a_partner(partner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="nobody@x.example", password=PASSWORD, role=Role.PARTNER_USER)


def test_staff_cannot_belong_to_a_partner(partner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="s@x.example", password=PASSWORD, role=Role.STAFF, partner=partner)


@pytest.mark.usefixtures("eager_celery")
def test_password_reset_sends_a_link(client, partner_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "user@own.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/compte/mot-de-passe/nouveau/" in mail.outbox[0].body


# Partner admins manage the users of their own company, and no other.


def test_it_lists_only_the_admins_own_company(client_for, partner_admin, partner_user, outsider):
    response = client_for(partner_admin).get(reverse("partner_users"))
    assert response.status_code == 200
    assert partner_user.email in response.text
    assert outsider.email not in response.text


@pytest.mark.parametrize("who", ["partner_user", "outsider_user", "sales_admin", "cloud_member"])
def test_only_partner_admins_reach_user_management(client_for, request, who, other_partner):
    user = UserFactory(partner=other_partner) if who == "outsider_user" else request.getfixturevalue(who)
    assert client_for(user).get(reverse("partner_users")).status_code == 403
    assert client_for(user).get(reverse("partner_user_invite")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("partner_users"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.usefixtures("eager_celery")
def test_it_invites_a_user_into_the_admins_company(client_for, partner_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(partner_admin).post(
            reverse("partner_user_invite"),
            {"email": "New@Own.Example", "first_name": "Nina", "last_name": "Neuve", "role": Role.PARTNER_USER},
        )
    assert response.status_code == 302
    invited = User.objects.get(email="new@own.example")
    assert invited.partner == partner_admin.partner
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@own.example"]
    assert "/compte/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_it_deactivates_a_colleague(client_for, partner_admin, partner_user):
    response = client_for(partner_admin).post(reverse("partner_user_deactivate", args=[partner_user.public_id]))
    assert response.status_code == 302
    partner_user.refresh_from_db()
    assert not partner_user.is_active


def test_it_cannot_deactivate_another_companys_user(client_for, partner_admin, outsider):
    response = client_for(partner_admin).post(reverse("partner_user_deactivate", args=[outsider.public_id]))
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_it_cannot_deactivate_oneself(client_for, partner_admin):
    client_for(partner_admin).post(reverse("partner_user_deactivate", args=[partner_admin.public_id]))
    partner_admin.refresh_from_db()
    assert partner_admin.is_active


def test_deactivation_needs_a_post(client_for, partner_admin, partner_user):
    response = client_for(partner_admin).get(reverse("partner_user_deactivate", args=[partner_user.public_id]))
    assert response.status_code == 405
