"""Demo accounts shared by ``seed_demo`` and the README (password: demo1234)."""

DEMO_PASSWORD = "demo1234"
DEMO_PARTNER = ("DEMO", "Demo Intégration")
OTHER_PARTNER = ("AUTRE", "Autre Partenaire")
