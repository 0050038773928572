"""Wizard steps 4 (main contact, additional data), 5 (certificate delivery), 6 (quote number, comments)
and what the review and the submission require of them."""

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from orders.models import DocumentKind, OrderStatus
from orders.services.submission import IncompleteOrder, order_submit
from orders.validators import format_phone, normalize_phone, normalize_quote_number
from orders.wizard import engine
from orders.wizard.forms_delivery import DeliveryForm
from tests.factories_orders import draft_with_product
from tests.factories_steps import complete_draft, fill_steps_4_to_6

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return html.unescape(response.content.decode())


def step_url(order, step):
    return reverse("order_wizard", args=[order.public_id, step])


def today():
    return timezone.localdate()


@pytest.fixture
def draft(partner, partner_user):
    return draft_with_product(partner=partner, user=partner_user)


CONTACT = {
    "contact_civility": "mrs",
    "contact_first_name": "  Jeanne  ",
    "contact_last_name": "Martin",
    "contact_function": "Gérante",
    "contact_email": "Jeanne.Martin@Boulangerie.example",
    "contact_phone": "06 12 34 56 78",
    "user_count": "3",
    "go_live_date": "",
    "business_sector": "food",
    "headcount": "12",
}


# --- phone and quote number -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("01-23-45-67-89", "+33123456789"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033 6 12 34 56 78", "+33612345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 (415) 555-2671", "+14155552671"),
    ],
)
def test_it_normalises_french_and_international_phone_numbers(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "12345", "06 12 34 56", "06 12 34 56 789", "0012", "+33 06 12 34 56 78", "+33 6 12 34",
     "+0 123 456 789", "+12 345", "+1234567890123456", "06 12 34 56 7a", "tel: 0612345678"],
)
def test_it_refuses_what_is_not_a_phone_number(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


def test_it_shows_french_numbers_by_pairs():
    assert format_phone("+33612345678") == "06 12 34 56 78"
    assert format_phone("+442079460958") == "+442079460958"


@pytest.mark.parametrize(("typed", "stored"), [("DEV0012345", "DEV0012345"), ("dev 001234", "DEV001234"),
                                               ("DEV-1234567890", "DEV1234567890"), ("", "")])
def test_it_accepts_quote_numbers_in_the_divalto_format(typed, stored):
    assert normalize_quote_number(typed) == stored


@pytest.mark.parametrize("typed", ["DEV12345", "DEV12345678901", "D0012345", "0012345", "DEV00123A5", "DEVIS001234"])
def test_it_refuses_other_quote_numbers(typed):
    with pytest.raises(ValidationError):
        normalize_quote_number(typed)


# --- step 4 -----------------------------------------------------------------------------------


def test_step_four_saves_the_contact_normalised(client_for, partner_user, draft):
    response = client_for(partner_user).post(step_url(draft, "contact"), CONTACT)
    assert response.status_code == 302
    assert response.url == step_url(draft, "livraison")
    draft.refresh_from_db()
    assert draft.contact_first_name == "Jeanne"
    assert draft.contact_email == "jeanne.martin@boulangerie.example"
    assert draft.contact_phone == "+33612345678"
    assert draft.user_count == 3
    assert draft.business_sector == "food"
    assert draft.headcount == 12


def test_step_four_shows_the_saved_phone_readable(client_for, partner_user, draft):
    client = client_for(partner_user)
    client.post(step_url(draft, "contact"), CONTACT)
    assert 'value="06 12 34 56 78"' in client.get(step_url(draft, "contact")).text


def test_step_four_explains_each_missing_required_field(client_for, partner_user, draft):
    response = client_for(partner_user).post(step_url(draft, "contact"), {})
    text = shown(response)
    for message in [
        "Choisissez la civilité de l'interlocuteur.",
        "Saisissez le prénom de l'interlocuteur.",
        "Saisissez le nom de l'interlocuteur.",
        "Saisissez l'adresse e-mail de l'interlocuteur.",
        "Saisissez le numéro de téléphone de l'interlocuteur.",
    ]:
        assert message in text
    # The error summary links to each field.
    assert 'href="#id_contact_phone"' in response.text
    draft.refresh_from_db()
    assert draft.contact_last_name == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_phone", "12 34", "Saisissez un numéro français"),
        ("contact_email", "jeanne@", "Saisissez une adresse e-mail valide"),
        ("contact_civility", "dr", "Choisissez « Madame » ou « Monsieur »."),
        ("user_count", "0", "Le nombre d'utilisateurs est d'au moins 1."),
        ("user_count", "10001", "Le nombre d'utilisateurs est limité à 10000."),
        ("user_count", "trois", "Saisissez un nombre entier."),
        ("headcount", "-2", "L'effectif est d'au moins 1."),
        ("business_sector", "mining", "Choisissez un secteur de la liste."),
        ("go_live_date", "31/02/2030", "Saisissez une date valide"),
        ("contact_last_name", "x" * 101, "Le nom est limité à 100 caractères."),
    ],
)
def test_step_four_refuses_a_bad_value_with_a_clear_message(client_for, partner_user, draft, field, value, message):
    response = client_for(partner_user).post(step_url(draft, "contact"), {**CONTACT, field: value})
    assert response.status_code == 200
    assert message in shown(response)


def test_step_four_refuses_a_go_live_date_in_the_past_or_too_far(client_for, partner_user, draft):
    client = client_for(partner_user)
    yesterday = (today() - datetime.timedelta(days=1)).isoformat()
    response = client.post(step_url(draft, "contact"), {**CONTACT, "go_live_date": yesterday})
    assert "La date de démarrage ne peut pas être passée." in shown(response)
    far = (today() + datetime.timedelta(days=4 * 365)).isoformat()
    response = client.post(step_url(draft, "contact"), {**CONTACT, "go_live_date": far})
    assert "La date de démarrage doit être au plus tard le" in shown(response)
    in_a_month = today() + datetime.timedelta(days=30)
    response = client.post(step_url(draft, "contact"), {**CONTACT, "go_live_date": in_a_month.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.go_live_date == in_a_month


def test_step_four_additional_data_is_optional(client_for, partner_user, draft):
    data = {**CONTACT, "user_count": "", "headcount": "", "business_sector": "", "contact_function": ""}
    assert client_for(partner_user).post(step_url(draft, "contact"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.user_count is None and draft.business_sector == ""


# --- step 5 -----------------------------------------------------------------------------------


def delivery(date=None, recipients=("a@client.example",)):
    return {"delivery_date": (date or today()).isoformat(), "recipients": list(recipients)}


@pytest.fixture
def at_delivery(draft, partner_user):
    draft.contact_civility, draft.contact_first_name, draft.contact_last_name = "mr", "Paul", "Durand"
    draft.contact_email, draft.contact_phone = "paul@client.example", "+33612345678"
    draft.save()
    return draft


def test_step_five_saves_date_and_recipients_lowercased(client_for, partner_user, at_delivery):
    data = delivery(recipients=["Compta@Client.example", "", "  dsi@client.example "])
    response = client_for(partner_user).post(step_url(at_delivery, "livraison"), data)
    assert response.status_code == 302
    at_delivery.refresh_from_db()
    assert at_delivery.delivery_date == today()
    assert at_delivery.certificate_recipients == ["compta@client.example", "dsi@client.example"]


def test_step_five_requires_a_date_and_one_recipient(client_for, partner_user, at_delivery):
    response = client_for(partner_user).post(step_url(at_delivery, "livraison"), {"recipients": ["", ""]})
    text = shown(response)
    assert "Indiquez la date de livraison souhaitée." in text
    assert "Indiquez au moins une adresse e-mail à laquelle envoyer le certificat." in text
    assert 'href="#id_recipients"' in response.text


def test_step_five_refuses_a_date_in_the_past_and_too_far(client_for, partner_user, at_delivery):
    client = client_for(partner_user)
    response = client.post(step_url(at_delivery, "livraison"), delivery(date=today() - datetime.timedelta(days=1)))
    assert "La date de livraison ne peut pas être passée" in shown(response)
    response = client.post(step_url(at_delivery, "livraison"), delivery(date=today() + datetime.timedelta(days=400)))
    assert "La date de livraison doit être au plus tard le" in shown(response)


def test_step_five_checks_each_address(client_for, partner_user, at_delivery):
    data = delivery(recipients=["ok@client.example", "pas-une-adresse"])
    response = client_for(partner_user).post(step_url(at_delivery, "livraison"), data)
    assert (
        "Destinataire 2 : Saisissez une adresse e-mail valide, par exemple prenom.nom@societe.fr." in shown(response)
    )
    at_delivery.refresh_from_db()
    assert at_delivery.certificate_recipients == []


def test_step_five_refuses_duplicates_whatever_the_case(client_for, partner_user, at_delivery):
    data = delivery(recipients=["dsi@client.example", "DSI@Client.Example"])
    response = client_for(partner_user).post(step_url(at_delivery, "livraison"), data)
    assert "Destinataire 2 : « DSI@Client.Example » figure déjà au rang 1." in shown(response)


def test_step_five_takes_five_recipients_and_refuses_a_sixth(client_for, partner_user, at_delivery):
    client = client_for(partner_user)
    five = [f"r{i}@client.example" for i in range(1, 6)]
    assert client.post(step_url(at_delivery, "livraison"), delivery(recipients=five)).status_code == 302
    response = client.post(step_url(at_delivery, "livraison"), delivery(recipients=[*five, "r6@client.example"]))
    assert response.status_code == 200
    assert "Le certificat est envoyé à 5 destinataires au plus : retirez 1 adresse." in shown(response)
    # The six typed rows are drawn again, so nothing the user typed is lost.
    assert response.text.count('name="recipients"') == 6 + 1  # + the hidden row template
    at_delivery.refresh_from_db()
    assert len(at_delivery.certificate_recipients) == 5


def test_step_five_draws_one_empty_row_when_there_is_none(client_for, partner_user, at_delivery):
    response = client_for(partner_user).get(step_url(at_delivery, "livraison"))
    assert 'id="id_recipients"' in response.text
    assert response.text.count('name="recipients"') == 1 + 1


def test_the_recipients_field_refuses_an_overlong_address(partner_user, at_delivery):
    form = DeliveryForm(data={"delivery_date": today().isoformat(), "recipients": ["a" * 250 + "@x.fr"]},
                        order=at_delivery, user=partner_user)
    assert not form.is_valid()
    assert "limitée à 254 caractères" in str(form.errors["recipients"])


# --- step 6 (quote number and comments; documents in test_documents.py) ------------------------


@pytest.fixture
def at_documents(partner, partner_user):
    return fill_steps_4_to_6(draft_with_product(partner=partner, user=partner_user), with_purchase_order=False)


def test_step_six_asks_for_the_purchase_order_before_going_on(client_for, partner_user, at_documents):
    response = client_for(partner_user).post(step_url(at_documents, "documents"), {"quote_number": "DEV0012345"})
    assert response.status_code == 200
    assert "Déposez le bon de commande signé (nature « Bon de commande ») avant de continuer." in shown(response)


def test_step_six_saves_and_exits_without_the_purchase_order(client_for, partner_user, at_documents):
    data = {"quote_number": "dev 0099887", "comments": "Livrer avant l'inventaire.", "action": "save_exit"}
    response = client_for(partner_user).post(step_url(at_documents, "documents"), data)
    assert response.url == reverse("order_list")
    at_documents.refresh_from_db()
    assert at_documents.quote_number == "DEV0099887"
    assert at_documents.comments == "Livrer avant l'inventaire."


def test_step_six_refuses_a_bad_quote_number_and_overlong_comments(client_for, partner_user, at_documents):
    data = {"quote_number": "12345", "comments": "x" * 2001, "action": "save_exit"}
    response = client_for(partner_user).post(step_url(at_documents, "documents"), data)
    text = shown(response)
    assert "Le numéro de devis Divalto s'écrit DEV suivi de 6 à 10 chiffres" in text
    assert "Les commentaires sont limités à 2000 caractères (vous en avez saisi 2001)." in text


def test_step_six_goes_on_to_the_review_with_a_purchase_order(client_for, partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    response = client_for(partner_user).post(step_url(order, "documents"), {"quote_number": "", "comments": ""})
    assert response.url == step_url(order, "recapitulatif")


# --- review and submission --------------------------------------------------------------------


def test_the_review_shows_the_new_sections_with_their_change_links(client_for, partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    response = client_for(partner_user).get(step_url(order, "recapitulatif"))
    text = shown(response)
    for expected in ["Madame Jeanne Martin", "06 12 34 56 78", "jeanne.martin@boulangerie.example",
                     "Agroalimentaire", "DEV0012345", "bon-de-commande.pdf", "Bon de commande"]:
        assert expected in text
    for step in ("contact", "livraison", "documents"):
        assert f'href="{step_url(order, step)}"' in response.text
    assert "Avant de soumettre, complétez" not in text


def test_the_review_lists_what_steps_four_to_six_lack(client_for, partner, partner_user):
    order = draft_with_product(partner=partner, user=partner_user)
    missing = {step.identifier: lacks for step, lacks in engine.missing_for_submission(order)}
    assert "le nom de l'interlocuteur" in missing["contact"]
    assert "le téléphone de l'interlocuteur" in missing["contact"]
    assert "la date de livraison souhaitée" in missing["livraison"]
    assert "au moins un destinataire du certificat" in missing["livraison"]
    assert missing["documents"] == ["le bon de commande signé"]


@pytest.mark.parametrize(
    ("change", "step"),
    [
        ({"contact_phone": ""}, "contact"),
        ({"contact_civility": ""}, "contact"),
        ({"delivery_date": None}, "livraison"),
        ({"certificate_recipients": []}, "livraison"),
        ({"certificate_recipients": [f"r{i}@x.example" for i in range(6)]}, "livraison"),
    ],
)
def test_submission_requires_contact_delivery_and_recipients(partner, partner_user, change, step):
    order = complete_draft(partner=partner, user=partner_user)
    for name, value in change.items():
        setattr(order, name, value)
    order.save()
    with pytest.raises(IncompleteOrder) as refused:
        order_submit(order=order, user=partner_user)
    assert [title for title, _lacks in refused.value.missing] == [str(engine.step_by_identifier(step).title)]
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_submission_requires_a_purchase_order(partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    order.documents.update(kind=DocumentKind.OTHER)
    with pytest.raises(IncompleteOrder):
        order_submit(order=order, user=partner_user)


def test_a_delivery_date_that_has_passed_since_is_refused_at_submission(partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    order.delivery_date = today() - datetime.timedelta(days=1)
    order.save()
    with pytest.raises(IncompleteOrder) as refused:
        order_submit(order=order, user=partner_user)
    assert "une date de livraison à partir d'aujourd'hui (celle choisie est passée)" in refused.value.missing[0][1]


def test_a_complete_draft_is_submitted(partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    order_submit(order=order, user=partner_user)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


@pytest.mark.parametrize("step", ["contact", "livraison", "documents"])
def test_the_steps_are_for_the_orders_partner_only(client_for, partner, partner_user, outsider, sales_admin,
                                                   cloud_member, step):
    order = complete_draft(partner=partner, user=partner_user)
    assert client_for(None).get(step_url(order, step)).status_code == 302
    assert client_for(partner_user).get(step_url(order, step)).status_code == 200
    assert client_for(outsider).get(step_url(order, step)).status_code == 404
    assert client_for(sales_admin).get(step_url(order, step)).status_code == 403
    assert client_for(cloud_member).get(step_url(order, step)).status_code == 403


def test_the_documents_step_queries_do_not_grow_with_documents(client_for, partner, partner_user,
                                                               django_assert_max_num_queries):
    order = complete_draft(partner=partner, user=partner_user)
    client = client_for(partner_user)
    with django_assert_max_num_queries(40) as few:
        client.get(step_url(order, "documents"))
    for _ in range(5):
        fill_steps_4_to_6(order)  # one more purchase order row each time
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(step_url(order, "documents"))


def test_step_five_marks_only_the_refused_rows(client_for, partner_user, at_delivery):
    data = delivery(recipients=["a@client.example", "A@client.example", "b@client.example"])
    response = client_for(partner_user).post(step_url(at_delivery, "livraison"), data)
    inputs = re.findall(r'<input type="email" name="recipients"[^>]*>', response.text)
    assert ["is-invalid" in tag for tag in inputs] == [False, True, False, False]  # the last: the row template
