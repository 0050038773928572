"""The second factor in tests: codes computed as the user's phone would, and the test client's shortcut.

Staff made by the factories have an authenticator application (it is required of them). A test that logs in
through the pages types the code ``code_for(user)`` computes; ``force_login`` skips the password, and the
``Client`` below skips the second factor the same way (the tests of the factor itself log in for real).
"""

from __future__ import annotations

from django.test import Client as DjangoClient
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mybusiness.demo import totp_code

VERIFY_PATH = "/compte/verification/"


def application_of(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def code_for(user) -> str:
    """The code the user's application shows now (the next one if it was just used)."""
    return totp_code(application_of(user))


class Client(DjangoClient):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.two_factor_enabled:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = application_of(user).persistent_id
            session.save()


def pass_second_factor(page, user_or_email) -> None:
    """On the login's second step (a Playwright page), type the code and go on; elsewhere, nothing."""
    if VERIFY_PATH not in page.url:
        return
    from mybusiness.models import User

    user = user_or_email if isinstance(user_or_email, User) else User.objects.get(email=user_or_email)
    page.locator("main input[name=code]").fill(code_for(user))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if VERIFY_PATH in page.url:
        raise AssertionError(f"second factor for {user.email} refused: still on {page.url}")
