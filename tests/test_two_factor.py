"""R15: two-factor authentication, required of the vendor's staff in the back office, offered to partners.

Every login here goes through the real pages (password, then the code the user's application would show:
``tests.otp.code_for``), with Django's own test client: ``force_login`` would skip what is tested.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mybusiness import services
from mybusiness.demo import totp_code
from mybusiness.models import User
from tests.factories import PASSWORD, StaffFactory
from tests.otp import code_for

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")


def password_step(client: Client, user: User, next_url: str = ADMIN):
    response = client.post(f"{reverse('login')}?next={next_url}", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client.get(response["Location"])


def code_step(client: Client, code: str, next_url: str = ADMIN, **headers):
    return client.post(VERIFY, {"code": code, "next": next_url}, **headers)


def errors(response) -> str:
    return " ".join(str(error) for error in response.context["form"].errors.get("code", []))


# --- Staff: the back office needs the second factor -----------------------------------------------------


def test_staff_reach_the_back_office_only_with_the_code_of_their_application(sales_admin):
    client = Client()
    after_password = password_step(client, sales_admin)
    # The password alone leads to the code's page, with the page asked for kept.
    assert after_password.status_code == 302
    assert after_password["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    for path in (ADMIN, "/admin/orders/order/", reverse("home"), "/admin/tableau-de-bord/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), path
    page = client.get(VERIFY + "?next=/admin/")
    assert page.status_code == 200
    assert "Vérification en deux étapes" in page.text and 'autocomplete="one-time-code"' in page.text

    wrong = code_step(client, "000000" if code_for(sales_admin) != "000000" else "111111")
    assert wrong.status_code == 200
    assert errors(wrong) == "Code incorrect ou déjà utilisé."
    assert client.get(ADMIN).status_code == 302

    time.sleep(1.1)  # a wrong code makes the next wait a second (django-otp's throttling, tested below)
    right = code_step(client, code_for(sales_admin))
    assert right.status_code == 302 and right["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_code_typed_with_spaces_is_accepted(cloud_member):
    client = Client()
    password_step(client, cloud_member)
    code = code_for(cloud_member)
    assert code_step(client, f" {code[:3]} {code[3:]} ")["Location"] == ADMIN
    assert client.get("/admin/orders/activation/").status_code == 200


def test_a_code_is_accepted_once(sales_admin):
    first, second = Client(), Client()
    password_step(first, sales_admin)
    password_step(second, sales_admin)
    code = code_for(sales_admin)
    assert code_step(first, code).status_code == 302
    replay = code_step(second, code)
    assert replay.status_code == 200 and errors(replay) == "Code incorrect ou déjà utilisé."


def test_wrong_codes_make_the_account_wait_even_for_the_right_code(sales_admin):
    client = Client()
    password_step(client, sales_admin)
    right = code_for(sales_admin)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    code_step(client, wrong)
    code_step(client, wrong)
    throttled = code_step(client, right)
    assert throttled.status_code == 200
    assert re.fullmatch(r"Trop de codes incorrects : réessayez dans \d+ secondes?\.", errors(throttled))
    assert client.get(ADMIN).status_code == 302


def test_the_refusals_are_explained_in_english(sales_admin):
    client = Client()
    client.cookies["django_language"] = "en"
    password_step(client, sales_admin)
    page = client.get(VERIFY)
    assert "Two-step verification" in page.text
    wrong = code_step(client, "abcdefgh")
    assert errors(wrong) == "Wrong code, or one already used."


def test_a_recovery_code_replaces_the_application_once(sales_admin):
    codes = services.recovery_codes_renew(user=sales_admin)
    client = Client()
    password_step(client, sales_admin)
    typed = f"{codes[0][:4].upper()}-{codes[0][4:]}"  # as shown on the page, in capitals
    assert code_step(client, typed).status_code == 302
    assert client.get(ADMIN).status_code == 200
    again = Client()
    password_step(again, sales_admin)
    assert errors(code_step(again, codes[0])) == "Code incorrect ou déjà utilisé."
    assert StaticToken.objects.filter(device__user=sales_admin).count() == len(codes) - 1


def test_few_recovery_codes_left_are_announced(sales_admin, settings):
    settings.OTP_RECOVERY_CODES = 3
    codes = services.recovery_codes_renew(user=sales_admin)
    client = Client()
    password_step(client, sales_admin)
    response = client.post(VERIFY, {"code": codes[0], "next": ADMIN}, follow=True)
    assert "Il vous reste 2 codes de secours" in response.text


def test_an_htmx_request_of_an_unverified_session_is_sent_to_the_code_page(sales_admin):
    client = Client()
    password_step(client, sales_admin)
    response = client.get("/admin/orders/order/", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"].startswith(VERIFY)


def test_a_post_of_an_unverified_session_changes_nothing_and_keeps_no_next(sales_admin, partner):
    client = Client()
    password_step(client, sales_admin)
    response = client.post(reverse("admin:mybusiness_partner_change", args=[partner.pk]), {"name": "Changé"})
    assert response.status_code == 302 and response["Location"] == VERIFY
    partner.refresh_from_db()
    assert partner.name != "Changé"


# --- Staff without an application: they add one before anything else ---------------------------------------


def test_staff_without_an_application_add_one_then_get_recovery_codes_shown_once():
    root = User.objects.create_superuser("root@vendor.example", PASSWORD)
    client = Client()
    after_password = password_step(client, root)
    assert after_password["Location"] == f"{SETUP}?next=%2Fadmin%2F"
    assert client.get(ADMIN)["Location"].startswith(SETUP)
    page = client.get(SETUP + "?next=/admin/")
    assert "obligatoire" in page.text
    secret = page.context["secret"].replace(" ", "")
    device = TOTPDevice.objects.get(user=root, confirmed=False)
    assert len(secret) == 32 and secret in device.config_url
    qr = client.get(reverse("two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    # Reloading the page shows the same secret: the phone already scanned it.
    assert client.get(SETUP).context["secret"] == page.context["secret"]

    wrong = client.post(SETUP, {"code": "12345", "next": ADMIN})
    assert "Ce code ne correspond pas" in " ".join(wrong.context["form"].errors["code"])

    done = client.post(SETUP, {"code": totp_code(device), "next": ADMIN})
    assert done.status_code == 302 and done["Location"].startswith(reverse("two_factor_codes"))
    shown = client.get(done["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10 and all(code in shown.text for code in codes)
    assert client.get(reverse("two_factor_codes"))["Location"] == SETUP  # shown once
    assert client.get(ADMIN).status_code == 200
    root.refresh_from_db()
    assert root.two_factor_enabled


def test_staff_may_not_do_without_it(settings):
    root = User.objects.create_superuser("root@vendor.example", PASSWORD)
    settings.OTP_REQUIRED_FOR_STAFF = False
    client = Client()
    password_step(client, root)
    assert client.get(ADMIN).status_code == 200  # the setting, for a deployment that enforces it elsewhere
    settings.OTP_REQUIRED_FOR_STAFF = True
    assert client.get(ADMIN)["Location"].startswith(SETUP)


def test_replacing_a_lost_phone_asks_for_a_new_application(sales_admin):
    client = Client()
    password_step(client, sales_admin)
    code_step(client, code_for(sales_admin))
    response = client.post(reverse("two_factor_disable"), follow=True)
    assert "Ajoutez votre nouvelle application" in response.text
    assert client.get(ADMIN)["Location"].startswith(SETUP)
    assert not TOTPDevice.objects.filter(user=sales_admin, confirmed=True).exists()


def test_a_superuser_resets_a_colleagues_second_factor_and_their_sessions_end(sales_admin):
    colleague_session = Client()
    password_step(colleague_session, sales_admin)
    code_step(colleague_session, code_for(sales_admin))
    assert colleague_session.get(ADMIN).status_code == 200
    root = StaffFactory(is_superuser=True, email="root@vendor.example")
    admin = Client()
    password_step(admin, root)
    code_step(admin, code_for(root))
    response = admin.post(
        reverse("admin:mybusiness_user_changelist"),
        {"action": "two_factor_reset", "_selected_action": [sales_admin.pk]},
        follow=True,
    )
    assert "Double authentification réinitialisée pour 1 compte" in response.text
    assert colleague_session.get(ADMIN)["Location"].startswith("/admin/login/")  # logged out
    again = Client()
    assert password_step(again, sales_admin)["Location"].startswith(SETUP)


# --- Partners: offered, then asked of those who turned it on -----------------------------------------------


def test_partners_are_not_asked_until_they_turn_it_on(partner_admin):
    client = Client()
    assert password_step(client, partner_admin, next_url="/").status_code == 200
    elsewhere = Client()
    password_step(elsewhere, partner_admin, next_url="/")

    page = client.get(SETUP)
    assert "Protégez votre compte" in page.text
    device = TOTPDevice.objects.get(user=partner_admin, confirmed=False)
    client.post(SETUP, {"code": totp_code(device)})
    assert client.get(reverse("home")).status_code == 200
    # The session that did not give the code is over; the next login asks for it.
    assert elsewhere.get(reverse("home"))["Location"].startswith(reverse("login"))
    fresh = Client()
    assert password_step(fresh, partner_admin, next_url="/")["Location"].startswith(VERIFY)
    assert code_step(fresh, code_for(partner_admin), next_url="/")["Location"] == "/"

    status = client.get(SETUP)
    assert "Activée" in status.text and "Il vous reste 10 codes de secours." in status.text
    client.post(reverse("two_factor_disable"))
    partner_admin.refresh_from_db()
    assert not partner_admin.two_factor_enabled
    assert password_step(Client(), partner_admin, next_url="/").status_code == 200


def test_new_recovery_codes_replace_the_old_ones(partner_admin):
    device = services.totp_enrolment_start(user=partner_admin)
    _device, old = services.totp_enrolment_confirm(user=partner_admin, code=totp_code(device))
    client = Client()
    password_step(client, partner_admin, next_url="/")
    code_step(client, code_for(partner_admin), next_url="/")
    shown = client.post(reverse("two_factor_codes_renew"), follow=True)
    new = [code.replace("-", "") for code in shown.context["codes"]]
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    password_step(other, partner_admin, next_url="/")
    assert errors(code_step(other, old[0], next_url="/")) == "Code incorrect ou déjà utilisé."
    time.sleep(1.1)  # the wrong code's wait
    assert code_step(other, new[0], next_url="/")["Location"] == "/"


# --- One login page -----------------------------------------------------------------------------------------


def test_the_admins_login_page_is_the_portals(partner_user):
    anonymous = Client()
    response = anonymous.get("/admin/login/?next=/admin/orders/order/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/orders/order/"
    partner = Client()
    password_step(partner, partner_user, next_url="/")
    assert partner.get("/admin/login/?next=/admin/").status_code == 403


def test_the_demo_command_prints_the_code_the_demo_staffs_phone_would_show():
    call_command("seed_demo", stdout=io.StringIO())
    adv = User.objects.get(email="adv@demo.example")
    out = io.StringIO()
    call_command("demo_otp_code", "adv@demo.example", stdout=out)
    client = Client()
    client.post(reverse("login"), {"username": adv.email, "password": "demo1234"})
    response = code_step(client, out.getvalue().strip())
    assert response.status_code == 302, (out.getvalue(), errors(response))
    assert response["Location"] == ADMIN
