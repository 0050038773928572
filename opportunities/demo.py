"""Demo opportunities for each demo partner (idempotent: rows are keyed by number, never overwritten)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from opportunities.models import Opportunity, OpportunityStage
from sites.validators import french_vat_key, luhn_is_valid

# (prospect, city, postal code, contact, function, generation code, solution code, stage, amount)
PROSPECTS = [
    ("Biscuiterie Lemaire", "Nantes", "44000", "Claire Lemaire", "Directrice générale",
     "ONE", "ONE_ERP", "open", 18500),
    ("Transports Aubert", "Valence", "26000", "AUBERT Julien", "Directeur administratif et financier",
     "INFINITY_V10", "INFINITY", "open", 42000),
    ("Cave des Coteaux", "Mâcon", "71000", "M. Paul Renaud", "Gérant", "ONE", "ONE_ERP_CRM", "open", 26000),
    ("Menuiserie Poulain", "Angers", "49100", "Sophie Poulain", "Responsable administrative",
     "INFINITY_V10", "INFINITY_WEAVY", "open", 55000),
    ("Clinique des Lilas", "Lyon", "69008", "Dr Hélène Vasseur", "Directrice des systèmes d'information",
     "INFINITY_V10", "WEAVY", "open", 31000),
    ("Métallerie Charpentier", "Saint-Nazaire", "44600", "Marc Charpentier", "Président",
     "ONE", "ONE_CRM", "open", 9800),
    ("Distillerie Moreau", "Cognac", "16100", "Mme Isabelle MOREAU", "Directrice financière",
     "INFINITY_V10", "INFINITY", "open", 64000),
    ("Serrurerie Benoît", "Tours", "37100", "", "", "ONE", "ONE_ERP", "open", 7200),
    ("Agence Horizon Voyages", "Bordeaux", "33300", "Lucie Garnier", "Responsable commerciale",
     "ONE", "ONE_CRM", "won", 12400),
    ("Fromagerie Joly", "Besançon", "25000", "Antoine Joly", "Directeur", "INFINITY_V10", "INFINITY", "won", 38000),
    ("Tuilerie Masson", "Toulouse", "31200", "Nathalie Masson", "Comptable", "ONE", "ONE_ERP", "lost", 15000),
    ("Chocolats Perret", "Lyon", "69002", "Bruno Perret", "Gérant", "", "", "open", None),
]
OTHER_PROSPECTS = [
    ("Conserverie Océane", "Lorient", "56100", "Yann Le Gall", "Directeur", "ONE", "ONE_ERP", "open", 21000),
    ("Tissage Vosgien", "Gérardmer", "88400", "Élise Thomas", "DAF", "INFINITY_V10", "INFINITY", "open", 47000),
    ("Brasserie du Nord", "Lille", "59800", "Karim Benali", "Gérant", "ONE", "ONE_ERP_CRM", "lost", 18000),
]


PROJECTS = [
    "Remplacement de l'ERP", "CRM pour la force de vente", "Gestion commerciale et stocks", "Passage en SaaS",
    "Suivi de production", "Nouvel établissement",
]


def demo_siret(seed: int) -> str:
    """A SIRET whose key and SIREN are valid (so the VAT number is valid too)."""
    base = f"{(seed * 104729) % 10**8:08d}"
    siren = next(base + str(d) for d in range(10) if luhn_is_valid(base + str(d)))
    nic = f"{seed % 10**4:04d}"
    return next(siren + nic + str(d) for d in range(10) if luhn_is_valid(siren + nic + str(d)))


def _seed_partner(*, partner, prospects, first_number: int) -> int:
    generation_model = Opportunity._meta.get_field("generation").related_model
    solution_model = Opportunity._meta.get_field("solution").related_model
    generations = {g.code: g for g in generation_model.objects.all()}
    solutions = {s.code: s for s in solution_model.objects.all()}
    owner = partner.users.filter(is_active=True).order_by("id").first()
    today = timezone.localdate()
    created = 0
    for index, row in enumerate(prospects):
        company, city, postal_code, contact, function, generation, solution, stage, amount = row
        number = f"OPP-{first_number + index:06d}"
        siret = demo_siret(first_number + index)
        # Every third prospect lacks its SIRET and address: the partner completes them in the order.
        complete = index % 3 != 1
        slug = slugify(company.split()[0])  # ASCII: a browser's email field rewrites accents as punycode
        _opportunity, was_created = Opportunity.objects.get_or_create(
            number=number,
            defaults={
                "partner": partner,
                "name": PROJECTS[index % len(PROJECTS)],
                "company_name": company,
                "siret": siret if complete else "",
                "vat_number": f"FR{french_vat_key(siret[:9]):02d}{siret[:9]}" if complete else "",
                "naf_code": ["1071D", "4941A", "1102B", "1623Z", "8610Z", "2511Z"][index % 6] if complete else "",
                "address": f"{10 + index} avenue de la Libération" if complete else "",
                "postal_code": postal_code,
                "city": city,
                "country": "FR",
                "phone": f"02 40 00 {index // 10:02d} {index % 100:02d}",
                "email": f"contact@{slug}.example",
                "contact_name": contact,
                "contact_function": function,
                "contact_email": f"{contact.split()[-1].lower()}@{slug}.example" if contact else "",
                "contact_phone": f"06 12 34 {index // 10:02d} {index % 100:02d}" if contact else "",
                "generation": generations.get(generation),
                "solution": solutions.get(solution),
                "stage": stage,
                "estimated_amount": Decimal(amount) if amount is not None else None,
                "expected_close_date": today + datetime.timedelta(days=15 * (index + 1))
                if stage == OpportunityStage.OPEN
                else today - datetime.timedelta(days=10 * (index + 1)),
                "owner": owner,
            },
        )
        created += was_created
    return created


def seed_demo(*, stdout) -> None:
    from mybusiness.demo import DEMO_PARTNER, OTHER_PARTNER
    from mybusiness.models import Partner

    demo = Partner.objects.get(code=DEMO_PARTNER[0])
    other = Partner.objects.get(code=OTHER_PARTNER[0])
    created = _seed_partner(partner=demo, prospects=PROSPECTS, first_number=240001)
    created += _seed_partner(partner=other, prospects=OTHER_PROSPECTS, first_number=250001)
    stdout.write(
        f"Opportunities: {len(PROSPECTS)} for {demo.name}, {len(OTHER_PROSPECTS)} for {other.name} ({created} new)."
    )
