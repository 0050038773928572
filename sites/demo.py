"""Demo sites for each demo partner (idempotent: rows are keyed by site number)."""

from __future__ import annotations

from sites.models import Hosting, Site, SiteStatus
from sites.validators import french_vat_key, luhn_is_valid

COMPANIES = [
    ("Boulangerie Martin", "Lyon", "69003"),
    ("Transports Lefèvre", "Villeurbanne", "69100"),
    ("Menuiserie Durand & Fils", "Strasbourg", "67000"),
    ("Brasserie du Port", "Marseille", "13002"),
    ("Clinique Saint-Jean", "Toulouse", "31000"),
    ("Atelier Mécanique Girard", "Nantes", "44000"),
    ("Fromagerie des Alpes", "Annecy", "74000"),
    ("Imprimerie Rousseau", "Rennes", "35000"),
    ("Garage Bernard", "Lille", "59000"),
    ("Laboratoires Morel", "Montpellier", "34000"),
    ("Négoce Fontaine", "Bordeaux", "33000"),
    ("Électricité Lambert", "Dijon", "21000"),
    ("Verrerie Chevalier", "Reims", "51100"),
    ("Conserverie Bretonne", "Quimper", "29000"),
    ("Plasturgie Roux", "Oyonnax", "01100"),
    ("Cabinet Mercier Conseil", "Paris", "75008"),
    ("Domaine Blanc", "Beaune", "21200"),
    ("Chaudronnerie Garnier", "Saint-Étienne", "42000"),
    ("Pharmacie Faure", "Grenoble", "38000"),
    ("Textiles André", "Roubaix", "59100"),
    ("Scierie Bonnet", "Épinal", "88000"),
    ("Logistique Dupont", "Orléans", "45000"),
    ("BTP Lemoine", "Tours", "37000"),
    ("Agroalimentaire Perrin", "Rungis", "94150"),
    ("Hôtel Les Pins", "Biarritz", "64200"),
    ("Distribution Clément", "Metz", "57000"),
    ("Optique Gauthier", "Caen", "14000"),
    ("Robotique Henry", "Besançon", "25000"),
    ("Parfumerie Mathieu", "Grasse", "06130"),
    ("Chocolaterie Leroy", "Bayonne", "64100"),
    ("Bureau d'études Noël", "Clermont-Ferrand", "63000"),
    ("Ambulances Renard", "Limoges", "87000"),
    ("Aciéries Picard", "Dunkerque", "59140"),
    ("Jardinerie Colin", "Angers", "49000"),
    ("Papeterie Vidal", "Angoulême", "16000"),
    ("Céramiques Roy", "Limoges", "87100"),
    ("Cosmétiques Arnaud", "Nice", "06000"),
    ("Tonnellerie Marchand", "Cognac", "16100"),
    ("Emballages Dumas", "Le Mans", "72000"),
    ("Sécurité Brun", "Ajaccio", "20000"),
]
OTHER_COMPANIES = [
    ("Quincaillerie Moulin", "Brest", "29200"),
    ("Laiterie Giraud", "Rodez", "12000"),
    ("Fonderie Barbier", "Mulhouse", "68100"),
    ("Sellerie Hubert", "Saumur", "49400"),
    ("Matériaux Fabre", "Perpignan", "66000"),
    ("Informatique Caron", "Amiens", "80000"),
]
# (generation code, solution code): several generations and solutions of the seeded catalog.
SOFTWARE = [
    ("INFINITY_V10", "INFINITY"),
    ("INFINITY_V10", "INFINITY_WEAVY"),
    ("ONE", "ONE_ERP"),
    ("INFINITY_V10", "WEAVY"),
    ("ONE", "ONE_ERP_CRM"),
    ("INFINITY_V7", "INFINITY_V7_ADDITIONAL"),
    ("ONE", "ONE_CRM"),
]


def demo_siret(seed: int) -> str:
    """A SIRET with a valid Luhn key (and a SIREN valid too, for the VAT number)."""
    base = f"{(seed * 7919) % 10**8:08d}"
    siren = next(base + str(d) for d in range(10) if luhn_is_valid(base + str(d)))
    nic = f"{seed % 10**4:04d}"
    return next(siren + nic + str(d) for d in range(10) if luhn_is_valid(siren + nic + str(d)))


def _seed_partner(*, partner, companies, first_number: int, stdout) -> int:
    generation_model = Site._meta.get_field("generation").related_model
    solution_model = Site._meta.get_field("solution").related_model
    generations = {g.code: g for g in generation_model.objects.all()}
    solutions = {s.code: s for s in solution_model.objects.all()}
    created = 0
    for index, (name, city, postal_code) in enumerate(companies):
        number = f"C{first_number + index:06d}"
        siret = demo_siret(first_number + index)
        generation_code, solution_code = SOFTWARE[index % len(SOFTWARE)]
        _site, was_created = Site.objects.update_or_create(
            number=number,
            defaults={
                "partner": partner,
                "company_name": name,
                "siret": siret,
                "vat_number": f"FR{french_vat_key(siret[:9]):02d}{siret[:9]}",
                "naf_code": ["6202A", "4690Z", "1071C", "4941A", "8610Z"][index % 5],
                "address": f"{index + 1} rue de la République",
                "postal_code": postal_code,
                "city": city,
                "country": "FR",
                "phone": f"04 72 00 {index // 10:02d} {index % 100:02d}",
                "email": f"contact{index + 1}@{partner.code.lower()}-client.example",
                "hosting": Hosting.ON_PREMISE if index % 3 == 2 else Hosting.SAAS,
                "generation": generations.get(generation_code),
                "solution": solutions.get(solution_code),
                "status": SiteStatus.CLOSED if index % 13 == 12 else SiteStatus.ACTIVE,
            },
        )
        created += was_created
    return created


def seed_demo(*, stdout) -> None:
    from mybusiness.demo import DEMO_PARTNER, OTHER_PARTNER
    from mybusiness.models import Partner

    demo = Partner.objects.get(code=DEMO_PARTNER[0])
    other = Partner.objects.get(code=OTHER_PARTNER[0])
    created = _seed_partner(partner=demo, companies=COMPANIES, first_number=100001, stdout=stdout)
    created += _seed_partner(partner=other, companies=OTHER_COMPANIES, first_number=200001, stdout=stdout)
    stdout.write(f"Sites: {len(COMPANIES)} for {demo.name}, {len(OTHER_COMPANIES)} for {other.name} ({created} new).")
