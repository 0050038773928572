"""The code a demo staff member's authenticator application would show (the demo has no phone)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from mybusiness.demo import DEMO_TOTP_KEY, totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (only accounts seeded with the demo's key)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", nargs="?", default="adv@demo.example")

    def handle(self, *args, **options):
        device = TOTPDevice.objects.filter(user__email=options["email"].strip().lower(), confirmed=True).first()
        if device is None or device.key != DEMO_TOTP_KEY:
            raise CommandError(f"{options['email']} has no demo authenticator (run seed_demo first).")
        self.stdout.write(totp_code(device))
