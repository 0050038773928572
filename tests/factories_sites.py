"""Factories of the sites area."""

from __future__ import annotations

import factory

from sites.demo import demo_siret
from sites.models import Hosting, Site
from tests.factories import PartnerFactory


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    number = factory.Sequence(lambda n: f"C{500000 + n:06d}")
    partner = factory.SubFactory(PartnerFactory)
    company_name = factory.Sequence(lambda n: f"Société {n:04d}")
    siret = factory.Sequence(lambda n: demo_siret(900000 + n))
    postal_code = "69003"
    city = "Lyon"
    country = "FR"
    hosting = Hosting.SAAS
