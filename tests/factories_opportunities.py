"""Factories of the opportunities area (product codes from the seeded catalog)."""

from __future__ import annotations

import factory

from catalog.models import Solution
from opportunities.demo import demo_siret
from opportunities.models import Opportunity, OpportunityStage
from tests.factories import PartnerFactory


class OpportunityFactory(factory.django.DjangoModelFactory):
    """An open opportunity for « Divalto One ERP », with a complete prospect and contact."""

    class Meta:
        model = Opportunity

    number = factory.Sequence(lambda n: f"OPP-{700000 + n:06d}")
    name = factory.Sequence(lambda n: f"Projet {n}")
    partner = factory.SubFactory(PartnerFactory)
    company_name = factory.Sequence(lambda n: f"Prospect {n:04d}")
    siret = factory.Sequence(lambda n: demo_siret(800000 + n))
    vat_number = ""
    naf_code = "6202A"
    address = "3 rue des Tanneurs"
    postal_code = "67000"
    city = "Strasbourg"
    country = "FR"
    phone = "03 88 00 00 00"
    email = "accueil@prospect.example"
    contact_name = "Mme Claire DUVAL"
    contact_function = "Directrice financière"
    contact_email = "claire.duval@prospect.example"
    contact_phone = "06 00 00 00 01"
    solution = factory.LazyFunction(lambda: Solution.objects.get(code="ONE_ERP"))
    generation = factory.LazyAttribute(lambda o: o.solution.generation if o.solution else None)
    stage = OpportunityStage.OPEN
