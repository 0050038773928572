"""Demo accounts shared by ``seed_demo`` and the README (password: demo1234)."""

import time

from django_otp.oath import hotp

DEMO_PASSWORD = "demo1234"
DEMO_PARTNER = ("DEMO", "Demo Intégration")
OTHER_PARTNER = ("AUTRE", "Autre Partenaire")

# The demo staff's authenticator application (two-factor authentication is required of staff): a fixed
# secret, so that ``manage.py demo_otp_code`` can show the code a phone would. Never used outside the demo.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex


# The demo partner admin's API key (read and write), so that the README's curl examples run as they are.
# Never used outside the demo: a real key is random and shown once.
DEMO_API_KEY = "mbk_demo-partner-admin-key-for-the-readme-only"


def totp_code(device) -> str:
    """The code ``device``'s application shows now, or the next one if this one was just used (a code is
    accepted once). For the demo's command and the tests, which have no phone."""
    # The time step the device expects now (its clock's known drift included), past the last one accepted.
    now = (int(time.time()) - device.t0) // device.step + device.drift
    return f"{hotp(device.bin_key, max(now, device.last_t + 1), digits=device.digits):0{device.digits}d}"
