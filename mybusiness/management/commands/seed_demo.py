"""Demo data for a local run: partners, their users and vendor staff (idempotent).

Each app adds its own demo rows through a ``seed_demo`` function in its ``demo.py`` module,
called here in the order of INSTALLED_APPS (lower apps first), so that this command names none.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule

from mybusiness import services
from mybusiness.demo import DEMO_API_KEY, DEMO_PARTNER, DEMO_PASSWORD, DEMO_TOTP_KEY, OTHER_PARTNER, totp_code
from mybusiness.models import ApiKey, ApiScope, Partner, User
from mybusiness.roles import CLOUD_TEAM_GROUP, SALES_ADMIN_GROUP, Role


def app_seeders() -> list:
    """Each installed app's ``demo.seed_demo``, lower apps first (INSTALLED_APPS' order)."""
    seeders = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "demo"):
            seed = getattr(import_module(f"{config.name}.demo"), "seed_demo", None)
            if seed is not None:
                seeders.append(seed)
    return seeders


def _user(email: str, *, first: str, last: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _two_factor(user: User) -> None:
    """The staff's second factor, added as a person would (their codes: ``manage.py demo_otp_code``)."""
    if user.two_factor_enabled:
        return
    device = services.totp_enrolment_start(user=user)
    device.key = DEMO_TOTP_KEY
    device.save(update_fields=["key"])
    services.totp_enrolment_confirm(user=user, code=totp_code(device))


def _api_key(admin: User) -> None:
    """The README's key, created as the keys' page does, then given the demo's fixed value."""
    hashed = services.api_key_hash(DEMO_API_KEY)
    if ApiKey.objects.filter(hashed_key=hashed).exists():
        return
    key, _token = services.api_key_create(admin=admin, name="Démo (README)", scope=ApiScope.WRITE)
    ApiKey.objects.filter(pk=key.pk).update(hashed_key=hashed, prefix=DEMO_API_KEY[:12])


class Command(BaseCommand):
    help = "Create the demo partners, users and staff (idempotent): every password is demo1234."

    def handle(self, *args, **options):
        # The demo's own orders send no emails: they would only fill the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            self._seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every demo password is demo1234."))
        self.stdout.write(
            "Staff accounts ask for a second factor: `manage.py demo_otp_code adv@demo.example` prints the code."
        )

    def _seed(self):
        demo, _ = Partner.objects.get_or_create(code=DEMO_PARTNER[0], defaults={"name": DEMO_PARTNER[1]})
        other, _ = Partner.objects.get_or_create(code=OTHER_PARTNER[0], defaults={"name": OTHER_PARTNER[1]})
        _user("partner@demo.example", first="Paul", last="Partenaire", partner=demo, role=Role.PARTNER_USER)
        admin = _user("partner-admin@demo.example", first="Anne", last="Admin", partner=demo, role=Role.PARTNER_ADMIN)
        _api_key(admin)
        _user("other@demo.example", first="Olivier", last="Autre", partner=other, role=Role.PARTNER_ADMIN)
        adv = _user("adv@demo.example", first="Sophie", last="Ventes", role=Role.STAFF, partner=None, is_staff=True)
        adv.groups.add(Group.objects.get(name=SALES_ADMIN_GROUP))
        cloud = _user("cloud@demo.example", first="Claude", last="Cloud", role=Role.STAFF, partner=None, is_staff=True)
        cloud.groups.add(Group.objects.get(name=CLOUD_TEAM_GROUP))
        for staff in (adv, cloud):
            _two_factor(staff)

        for seed in app_seeders():
            seed(stdout=self.stdout)
