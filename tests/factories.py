"""factory_boy factories for the whole suite."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from mybusiness import services
from mybusiness.demo import totp_code
from mybusiness.models import Partner, User
from mybusiness.roles import CLOUD_TEAM_GROUP, SALES_ADMIN_GROUP, Role

PASSWORD = "Secret-pass-123"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Partenaire {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    partner = factory.SubFactory(PartnerFactory)
    role = Role.PARTNER_USER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PartnerAdminFactory(UserFactory):
    role = Role.PARTNER_ADMIN


class StaffFactory(UserFactory):
    partner = None
    role = Role.STAFF
    is_staff = True

    @factory.post_generation
    def in_group(obj, create, extracted, **kwargs):
        if create:
            group_name = extracted or SALES_ADMIN_GROUP
            obj.groups.add(Group.objects.get(name=group_name))

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        # Required of staff: an authenticator application, added as a person would (tests.otp computes codes).
        if create and extracted is not False:
            device = services.totp_enrolment_start(user=obj)
            services.totp_enrolment_confirm(user=obj, code=totp_code(device))


class SalesAdminFactory(StaffFactory):
    pass


class CloudTeamFactory(StaffFactory):
    @factory.post_generation
    def in_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=CLOUD_TEAM_GROUP))
