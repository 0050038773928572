"""Rule 5 of journeys.md: the same kind of field is checked the same way everywhere.

Every form of the portal, the CSV imports and the back office that holds a phone, a country, an
email, a SIRET, a VAT number or a NAF code is fed the same bad values and the same good ones: each
kind gives the same error message and the same normalised value in every form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from mybusiness.forms import EmailAuthenticationForm, EmailPasswordResetForm, PartnerUserInviteForm
from mybusiness.models import User
from opportunities.forms import OpportunityImportForm
from opportunities.models import Opportunity
from orders.wizard.forms_contact import ContactForm
from orders.wizard.forms_delivery import DeliveryForm
from orders.wizard.steps.site import NewSiteForm
from sites.forms import SiteDataForm, SiteImportForm
from sites.models import Site, SiteChangeRequestField
from tests.factories import PartnerFactory, UserFactory
from tests.factories_orders import draft_with_product
from tests.factories_sites import SiteFactory

PHONE_MESSAGE = (
    "Saisissez un numéro français (06 12 34 56 78) ou international commençant par + (+44 20 7946 0958)."
)
COUNTRY_MESSAGE = "Saisissez un code pays ISO à 2 lettres, par exemple FR pour la France ou BE pour la Belgique."
EMAIL_MESSAGE = "Saisissez une adresse e-mail valide, par exemple prenom.nom@societe.fr."
SIRET_MESSAGE = "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas (vérifiez les chiffres saisis)."
VAT_MESSAGE = (
    "Un numéro de TVA français s'écrit FR, une clé de 2 caractères puis les 9 chiffres du SIREN "
    "(par exemple FR40303265045)."
)
NAF_MESSAGE = "Le code NAF/APE s'écrit 4 chiffres suivis d'une lettre (par exemple 6202A)."

# kind: (bad value, its message, good value as typed, as stored, help text)
KINDS = {
    "phone": ("12", PHONE_MESSAGE, "06 12 34 56 78", "+33612345678",
              "Un numéro français (06 12 34 56 78) ou international (+44 20 7946 0958)."),
    "country": ("ZZ", COUNTRY_MESSAGE, "fr", "FR", "Code pays à 2 lettres (FR)."),
    "email": ("jean@", EMAIL_MESSAGE, "Jean@Exemple.FR", "jean@exemple.fr", None),
    "siret": ("12345678901234", SIRET_MESSAGE, "732 829 320 00074", "73282932000074", "14 chiffres."),
    "vat_number": ("FR12", VAT_MESSAGE, "fr 44 732 829 320", "FR44732829320", "Par exemple FR40303265045."),
    "naf_code": ("62A", NAF_MESSAGE, "10.51c", "1051C", "Par exemple 6202A."),
}


@dataclass
class FormCase:
    """A form of the inventory: how to build it bound to some data, and its field of each kind."""

    name: str
    build: Callable[[dict], object]
    fields: dict[str, str]  # kind -> field name

    def __str__(self) -> str:
        return self.name


def wizard(form_class, *, order_kwargs=None):
    def build(data):
        partner = PartnerFactory()
        user = UserFactory(partner=partner)
        order = draft_with_product(partner=partner, user=user, **(order_kwargs or {}))
        return form_class(data=data, order=order, user=user)

    return build


def import_form(form_class):
    def build(data):
        partner = PartnerFactory(code="P1")
        extra = {"owners": lambda email: None} if form_class is OpportunityImportForm else {}
        row = {"partner": "P1", "number": "C000001" if form_class is SiteImportForm else "OPP-1", **data}
        return form_class(data=row, partners={"P1": partner}, generations={}, solutions={}, **extra)

    return build


def admin_form(model, *, change: bool = False):
    def build(data):
        request = RequestFactory().get("/")
        request.user = User.objects.create_superuser(email="root@vendor.example", password="x")
        model_admin = admin.site.get_model_admin(model)
        instance = UserFactory() if change else None
        form_class = model_admin.get_form(request, instance, change=change)
        return form_class(data=data, instance=instance)

    return build


COMPANY = {kind: kind for kind in ("phone", "country", "email", "siret", "vat_number", "naf_code")}
NEW_SITE = {kind: f"new_site_{kind}" for kind in COMPANY}

FORMS = [
    FormCase("wizard contact step", wizard(ContactForm), {"phone": "contact_phone", "email": "contact_email"}),
    FormCase("wizard delivery step", wizard(DeliveryForm), {"email": "recipients"}),
    FormCase("wizard new site step", wizard(NewSiteForm, order_kwargs={"with_site": False}), NEW_SITE),
    FormCase("site change request", lambda data: SiteDataForm(data=data), COMPANY),
    FormCase("site CSV import", import_form(SiteImportForm), COMPANY),
    FormCase("opportunity CSV import", import_form(OpportunityImportForm), COMPANY),
    FormCase("opportunity CSV import, contact", import_form(OpportunityImportForm),
             {"phone": "contact_phone", "email": "contact_email"}),
    FormCase("admin site", admin_form(Site), COMPANY),
    FormCase("admin opportunity", admin_form(Opportunity), COMPANY),
    FormCase("admin opportunity, contact", admin_form(Opportunity),
             {"phone": "contact_phone", "email": "contact_email"}),
    FormCase("admin user, add", admin_form(User), {"email": "email"}),
    FormCase("admin user, change", admin_form(User, change=True), {"email": "email"}),
    FormCase("partner user invitation", lambda data: PartnerUserInviteForm(data=data), {"email": "email"}),
    FormCase("login", lambda data: EmailAuthenticationForm(data=data), {"email": "username"}),
    FormCase("password reset", lambda data: EmailPasswordResetForm(data=data), {"email": "email"}),
]

CASES = [pytest.param(case, kind, field, id=f"{case.name}: {kind}") for case in FORMS for kind, field in
         case.fields.items()]


def submitted(field: str, value: str):
    # The recipients are a list of addresses: one row holding the value.
    return [value] if field == "recipients" else value


def stored(field: str, value: str):
    return [value] if field == "recipients" else value


@pytest.fixture(autouse=True)
def _in_french():
    with translation.override("fr"):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "kind", "field"), CASES)
def test_it_refuses_the_same_bad_value_with_the_same_message(case, kind, field):
    bad, message, *_ = KINDS[kind]
    form = case.build({field: submitted(field, bad)})
    assert not form.is_valid()
    expected = [f"Destinataire 1 : {message}"] if field == "recipients" else [message]
    assert form.errors.get(field) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "kind", "field"), CASES)
def test_it_stores_the_same_good_value_the_same_way(case, kind, field):
    _, _, good, normalised, _ = KINDS[kind]
    form = case.build({field: submitted(field, good)})
    form.is_valid()  # other fields are missing: only this one is looked at
    assert field not in form.errors
    assert form.cleaned_data[field] == stored(field, normalised)


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "kind", "field"), [c for c in CASES if c.values[2] != "recipients"])
def test_it_gives_the_same_help_text(case, kind, field):
    help_text = KINDS[kind][4]
    form = case.build({})
    assert (str(form.fields[field].help_text) or None) == help_text


@pytest.mark.django_db
def test_a_phone_stored_before_the_rule_is_not_a_change():
    site = SiteFactory(phone="04 72 00 00 00")
    data = {name: getattr(site, name) for name in ("company_name", "country", "phone")}
    form = SiteDataForm(data={**data, "phone": "+33 4 72 00 00 00"}, initial={**data})
    assert form.is_valid(), form.errors
    assert "phone" not in form.changed_data
    assert SiteDataForm(initial={"phone": "+33472000000"})["phone"].value() == "04 72 00 00 00"


@pytest.mark.django_db
def test_a_stored_phone_is_shown_as_people_read_it():
    site = SiteFactory(phone="+33472000001")
    assert {str(label): value for label, value in site.changeable_data()}["téléphone"] == "04 72 00 00 01"
    change = SiteChangeRequestField(field_name="phone", old_value="+33472000000", new_value="+33612345678")
    assert (change.old_text, change.new_text) == ("04 72 00 00 00", "06 12 34 56 78")
