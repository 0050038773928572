import pytest
from django.core.exceptions import ValidationError

from sites import validators
from sites.demo import demo_siret


@pytest.mark.parametrize("value", ["73282932000074", "732 829 320 00074", "35600000000006", demo_siret(1)])
def test_it_accepts_valid_sirets(value):
    validators.validate_siret(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("7328293200007", "siret_format"),
        ("7328293200007A", "siret_format"),
        ("73282932000075", "siret_key"),
        ("35600000000007", "siret_key"),
    ],
)
def test_it_refuses_bad_sirets_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validators.validate_siret(value)
    assert error.value.code == code
    assert "SIRET" in str(error.value.messages[0])


@pytest.mark.parametrize("value", ["FR44732829320", "fr 44 732829320", "DE123456789", "FRA1732829320"])
def test_it_accepts_valid_vat_numbers(value):
    validators.validate_vat_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("FR45732829320", "vat_key"),
        ("FR4473282932", "vat_format"),
        ("FR44732829321", "vat_siren"),
        ("X1", "vat_format"),
    ],
)
def test_it_refuses_bad_vat_numbers(value, code):
    with pytest.raises(ValidationError) as error:
        validators.validate_vat_number(value)
    assert error.value.code == code


@pytest.mark.parametrize("value", ["69003", "01100", "20000", "97400", "97110", "98000", "95000"])
def test_it_accepts_french_postal_codes(value):
    validators.validate_french_postal_code(value)


@pytest.mark.parametrize("value", ["6900", "690031", "00100", "96000", "97900", "99000", "ABCDE"])
def test_it_refuses_postal_codes_outside_france(value):
    with pytest.raises(ValidationError):
        validators.validate_french_postal_code(value)


def test_it_checks_and_normalizes_naf_codes():
    validators.validate_naf_code("6202A")
    validators.validate_naf_code("62.02a")
    assert validators.normalize_naf_code("62.02a") == "6202A"
    for bad in ["6202", "620A2", "62022A"]:
        with pytest.raises(ValidationError):
            validators.validate_naf_code(bad)


def test_it_normalizes_company_names_for_comparison():
    assert validators.normalize_company_name("  Boulangerie   MARTIN & Fils ") == validators.normalize_company_name(
        "boulangerie martin - fils"
    )
    assert validators.normalize_company_name("Élise Café") == "elise cafe"
