"""Every page of the partner's journeys, in English, shows no French word of the interface or the
catalog, and writes dates in English's one format (journeys.md, rule 9).

The partner's data are neutral English-looking names; what a person typed (a company, an address, a
message) and the timeline's recorded sentences are taken out of the text before it is read. French is
then found by three signs: a letter with a French accent, a French label of the seeded catalog that
differs from its English one, and a short list of French words of the interface.
"""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from certificates.services import certificates_issue_for_order
from orders.models import OrderComment, OrderStatus
from orders.services.comments import order_comment_add
from orders.services.review import order_return_for_correction
from orders.services.submission import order_submit
from orders.wizard.engine import STEPS
from sites.models import Hosting, SiteStatus
from tests.factories import SalesAdminFactory
from tests.factories_backoffice import eager_celery  # noqa: F401  (a fixture)
from tests.factories_certs import order_at
from tests.factories_opportunities import OpportunityFactory
from tests.factories_orders import catalog
from tests.factories_sites import SiteFactory
from tests.factories_steps import complete_draft

# The emails go through the outbox's Celery task: run in this process, even when CI configures a broker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

ACCENTED = re.compile(r"[\wÀ-ÿœŒ’'-]*[àâçéèêëîïôûùüÿœæÀÂÇÉÈÊËÎÏÔÛÙÜŸŒÆ][\wÀ-ÿœŒ’'-]*")
# French words of the interface that English does not share (« Site », « Type », « Documents » and
# « Contact » read the same in both), and French's small words, which no English sentence holds.
FRENCH_WORDS = (
    "Commande", "Commandes", "Suivant", "Suivante", "Enregistrer", "Brouillon", "Brouillons", "Annuler",
    "Nouveau", "Nouvelle", "Livraison", "Interlocuteur", "Envoyer", "Valider", "Fermer", "Parcourir",
    "Rechercher", "Filtrer", "Soumettre", "Modifier", "Supprimer", "Reprendre", "Corriger", "Retour",
    "Demande", "Demander", "Adresse", "Ville", "Pays", "Statut", "Produit", "Tous", "Toutes", "Aucun",
    "Aucune", "Oui", "Non", "complémentaires", "depuis", "les", "des", "du", "une",
    "et", "pour", "sur", "avec", "dans", "est", "aux", "vous", "votre", "vos", "cette", "ou", "Mo", "Ko",
)
# A language's own name is written in that language in the language switch.
ALLOWED = {"Français"}
# The attributes a user hears or sees besides the text.
SHOWN_ATTRIBUTES = re.compile(
    r"""\s(?:title|aria-label|placeholder|alt|data-confirm|data-text-[\w-]+)="([^"]*)\"""")
SUBMIT_VALUES = re.compile(r"""<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)\"""")


def french_catalog_labels() -> set[str]:
    labels = set()
    for model in (OrderType, Origin, Generation, Solution, ProductReference):
        labels |= {label for label, label_en in model.objects.values_list("label", "label_en") if label != label_en}
    return labels


def shown_text(content: str) -> str:
    """What the page shows or says: its text, and its titles, labels, placeholders and messages."""
    content = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", content)
    said = SHOWN_ATTRIBUTES.findall(content) + SUBMIT_VALUES.findall(content)
    text = re.sub(r"<[^>]+>", " ", content)
    return html.unescape(" ".join([text, *said]))


def french_in(text: str, *, typed: set[str], catalog_labels: set[str]) -> list[str]:
    for value in sorted(typed, key=len, reverse=True):
        text = text.replace(value, " ")
    found = [label for label in catalog_labels if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]
    found += [word for word in ACCENTED.findall(text) if word not in ALLOWED]
    found += [word for word in FRENCH_WORDS if re.search(rf"(?<![\w-]){word}(?![\w-])", text)]
    return sorted(set(found))


RETURN_REASON = "Please attach the signed purchase order."


@pytest.fixture
def english_partner(partner, partner_admin):
    partner.name = "Northwind Systems"
    partner.save()
    partner_admin.first_name, partner_admin.last_name, partner_admin.language = "Alex", "Taylor", "en"
    partner_admin.save()
    return partner_admin


@pytest.fixture
def journeys(english_partner, partner, django_capture_on_commit_callbacks):
    """A partner's world: sites (one closed), an opportunity, a draft ready to submit, a submitted order
    with messages, a returned one, an activated one: what J1–J5 walk through."""
    user = english_partner
    site = SiteFactory(
        partner=partner, company_name="Contoso Bakery", address="1 Main Street", city="Lyon",
        generation=catalog(Generation, "ONE"), solution=catalog(Solution, "ONE_ERP"),
    )
    SiteFactory(partner=partner, company_name="Fabrikam Foods", status=SiteStatus.CLOSED, hosting=Hosting.ON_PREMISE)
    opportunity = OpportunityFactory(
        partner=partner, name="Tailspin ERP", company_name="Tailspin Toys", contact_name="Ms Robin Lee",
        contact_function="CFO", address="3 Market Street",
    )
    draft = neutral(complete_draft(partner=partner, user=user))
    draft.opportunity = opportunity
    draft.save()
    submitted = neutral(complete_draft(partner=partner, user=user, type_code="ADDITIONAL",
                                       origin_code="EXISTING_SITE"))
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=submitted, user=user)
        order_comment_add(order=submitted, author=user, body="Please check the quote number.")
    returned = neutral(complete_draft(partner=partner, user=user))
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(order=returned, user=user)
        order_return_for_correction(order=returned, user=SalesAdminFactory(first_name="Sam", last_name="Jones"),
                                    reason=RETURN_REASON)
    activated = order_at(OrderStatus.ACTIVATED, partner=partner, user=user, site=site,
                         lines=(("ONE-ERP-USER", 12), ("SAAS-ENV", 1)), recipients=("it@contoso.example",))
    completed = order_at(OrderStatus.ACTIVATED, partner=partner, user=user, site=site,
                         lines=(("ONE-ERP-USER", 5),), recipients=("it@contoso.example",))
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_issue_for_order(order=completed)  # the order page lists its certificate
    return {"site": site, "opportunity": opportunity, "draft": draft, "submitted": submitted,
            "returned": returned, "activated": activated, "completed": completed}


def neutral(order):
    """The factories' French sample data, replaced by neutral values (what a user typed is not the
    interface's French)."""
    order.customer_name = order.new_site_company_name = "Contoso Bakery"
    order.new_site_address = "1 Main Street"
    order.contact_first_name, order.contact_last_name, order.contact_function = "Jamie", "Smith", "Manager"
    order.contact_email = "jamie.smith@contoso.example"
    order.certificate_recipients = ["jamie.smith@contoso.example"]
    if order.site_id:
        order.site.company_name, order.site.address = "Contoso Bakery", "1 Main Street"
        order.site.save()
    order.save()
    order.documents.update(original_name="purchase-order.pdf")
    return order


def typed_by_people(partner) -> set[str]:
    """Texts people typed, in whatever language they wrote them (the timeline's own sentences are
    not among them: they are translated when shown)."""
    values = {partner.name, RETURN_REASON, *OrderComment.objects.values_list("body", flat=True)}
    return {value for value in values if value}


def partner_pages(world) -> list[tuple[str, dict]]:
    draft, submitted, returned = world["draft"], world["submitted"], world["returned"]
    site, opportunity = world["site"], world["opportunity"]
    htmx = {"HTTP_HX_REQUEST": "true"}
    pages = [
        (reverse("home"), {}),
        (reverse("order_list"), {}),
        (reverse("order_list") + "?status=draft", {}),
        (reverse("site_list"), {}),
        (reverse("site_list") + "?mode=modal", htmx),
        (reverse("site_card") + f"?site_number={site.number}", htmx),
        (reverse("site_detail", args=[site.number]), {}),
        (reverse("site_detail", args=[site.number]), htmx),
        (reverse("site_change_request", args=[site.number]), {}),
        (reverse("opportunity_list"), {}),
        (reverse("opportunity_browse_linkable") + "?mode=modal&stage=open", htmx),
        (reverse("opportunity_detail", args=[opportunity.number]), {}),
        (reverse("opportunity_detail", args=[opportunity.number]), htmx),
        (reverse("partner_users"), {}),
        (reverse("partner_user_invite"), {}),
        (reverse("password_change"), {}),
    ]
    for order in (draft, submitted, returned, world["activated"], world["completed"]):
        pages.append((reverse("order_detail", args=[order.public_id]), {}))
    for order in (draft, returned):
        pages += [(reverse("order_wizard", args=[order.public_id, step.identifier]), {}) for step in STEPS]
    pages += [
        (reverse("order_wizard_fragment", args=[draft.public_id, "type", "origins"]) + "?order_type="
         + str(catalog(OrderType, "ADDITIONAL").pk), htmx),
        (reverse("order_wizard_fragment", args=[draft.public_id, "produit", "solutions"]) + "?generation="
         + str(catalog(Generation, "INFINITY_V10").pk), htmx),
    ]
    return pages


def test_it_shows_no_french_to_a_partner_reading_english(client_for, journeys, partner, english_partner):
    client = client_for(english_partner)
    labels = french_catalog_labels()
    typed = typed_by_people(partner)
    found = {}
    for url, headers in partner_pages(journeys):
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en", url
        french = french_in(shown_text(response.content.decode()), typed=typed, catalog_labels=labels)
        if french:
            found[url] = french
    assert found == {}
    completed = client.get(reverse("order_detail", args=[journeys["completed"].public_id]))
    assert "Download the PDF" in completed.text  # the certificates' part was read too


def test_the_language_cookie_gives_english_too(client_for, journeys, partner_user):
    client = client_for(partner_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("order_list"))
    assert "Additional order" in shown_text(response.content.decode())


def test_the_check_finds_french_words_and_labels():
    labels = {"Commande additionnelle"}
    text = "Order type: Commande additionnelle. Depuis 3 jours: Suivant Précédent; Northwind Systems"
    assert french_in(text, typed={"Northwind Systems"}, catalog_labels=labels) == [
        "Commande", "Commande additionnelle", "Précédent", "Suivant"]
    assert french_in("Next, Previous: Additional order, 4 Dec 2026 14:05", typed=set(), catalog_labels=labels) == []


def test_the_text_read_includes_titles_labels_and_confirmations():
    page = ('<p>Hello</p><button title="Fermer" aria-label="Close">x</button><script>var a = "Commande";</script>'
            '<form data-confirm="Annuler ?"><input type="submit" value="Envoyer"></form>')
    text = shown_text(page)
    assert "Fermer" in text and "Annuler ?" in text and "Envoyer" in text and "var a" not in text


# --- dates: one format per language ---------------------------------------------------------------------

MOMENT = datetime.datetime(2026, 12, 4, 14, 5, 30, 123456, tzinfo=datetime.UTC)  # 15:05 in Paris


@pytest.mark.parametrize(
    ("language", "date", "date_time"),
    [("fr", "04/12/2026", "04/12/2026 15:05"), ("en", "4 Dec 2026", "4 Dec 2026 15:05")],
)
def test_each_language_writes_dates_one_way(language, date, date_time):
    from django.template import engines
    from django.utils.formats import date_format

    local = timezone.localtime(MOMENT)
    with translation.override(language):
        assert {date_format(local, name) for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT")} == {date}
        assert {date_format(local, name) for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT")} == {date_time}
        django = engines["django"].from_string('{{ moment|date }}|{{ moment|date:"SHORT_DATETIME_FORMAT" }}')
        assert django.render({"moment": MOMENT}) == f"{date}|{date_time}"


def test_pages_write_dates_in_englishs_format(client_for, journeys, english_partner):
    client = client_for(english_partner)
    submitted = journeys["submitted"]
    on = timezone.localtime(submitted.submitted_at)
    expected_date = f"{on.day} {on:%b} {on.year}"
    for url in (reverse("order_list"), reverse("order_detail", args=[submitted.public_id])):
        text = shown_text(client.get(url).content.decode())
        assert f"{expected_date} {on:%H:%M}" in text, url
        assert not re.search(r"\d\d/\d\d/\d{4}|[ap]\.m\.", text), url


def test_time_elements_carry_a_valid_datetime(client_for, journeys, english_partner):
    """The Nu checker refuses microseconds in ``<time datetime>``: seconds and the offset only."""
    response = client_for(english_partner).get(reverse("order_detail", args=[journeys["submitted"].public_id]))
    values = re.findall(r'<time datetime="([^"]*)"', response.content.decode())
    assert values and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", value) for value in values), values


def test_the_timeline_reads_in_the_readers_language(client_for, journeys, english_partner):
    """An event's sentence is recorded as its French source and its values, and shown in the reader's
    language, whoever recorded it and in whatever language they worked."""
    from orders.models import DocumentKind
    from orders.services.lifecycle import record_event, source_label

    submitted = journeys["submitted"]
    with translation.override("en"):  # an actor working in English records the same source
        event = record_event(
            order=submitted, actor=english_partner, message=gettext_noop("Document ajouté : %(name)s (%(kind)s)."),
            message_params={"name": "quote.pdf", "kind": source_label(DocumentKind.PURCHASE_ORDER.label)},
        )
    assert event.message == "Document ajouté : %(name)s (%(kind)s)."
    assert event.message_params == {"name": "quote.pdf", "kind": "Bon de commande"}
    with translation.override("fr"):
        assert event.text == "Document ajouté : quote.pdf (Bon de commande)."
    client = client_for(english_partner)
    text = shown_text(client.get(reverse("order_detail", args=[submitted.public_id])).content.decode())
    assert "Order submitted." in text and "Document added: quote.pdf (Purchase order)." in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = shown_text(client.get(reverse("order_detail", args=[submitted.public_id])).content.decode())
    assert "Commande soumise." in text and "Document ajouté : quote.pdf (Bon de commande)." in text


# --- the back office, for staff reading English ------------------------------------------------------

# The catalog's admin lists show the French label beside the English one (both are edited there),
# and the outbox shows each email's subject in its recipient's language: neither page is read here.


@pytest.fixture
def english_staff(db):
    from tests.factories import CloudTeamFactory

    sales = SalesAdminFactory(first_name="Sam", last_name="Jones", language="en")
    cloud = CloudTeamFactory(first_name="Kim", last_name="Lee", language="en")
    return sales, cloud


def test_it_shows_no_french_to_staff_reading_english(client_for, journeys, partner, english_staff):
    sales, cloud = english_staff
    submitted, activated = journeys["submitted"], journeys["activated"]
    in_activation = order_at(
        OrderStatus.IN_ACTIVATION, partner=partner, site=journeys["site"], user=submitted.created_by,
        lines=(("ONE-ERP-USER", 2), ("SAAS-ENV", 1)), recipients=("it@contoso.example",),
    )
    pages = {
        sales: [
            reverse("admin:index"),
            reverse("admin:orders_order_changelist"),
            reverse("admin:orders_order_change", args=[submitted.pk]),
            reverse("admin:orders_order_change", args=[activated.pk]),
            reverse("admin:customer_sites_site_changelist"),
            reverse("admin:customer_sites_sitechangerequest_changelist"),
            reverse("admin:opportunities_opportunity_changelist"),
            reverse("admin:certificates_certificate_changelist"),
            reverse("admin:mybusiness_user_changelist"),
        ],
        cloud: [
            reverse("admin:index"),
            reverse("admin:orders_activation_changelist"),
            reverse("admin:orders_activation_work", args=[in_activation.activation.pk, "activer"]),
            reverse("admin:orders_activation_work", args=[in_activation.activation.pk, "bloquer"]),
        ],
    }
    labels = french_catalog_labels()
    typed = typed_by_people(partner) | {"Contoso Bakery", "Fabrikam Foods", "Tailspin Toys"}
    found = {}
    for user, urls in pages.items():
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            french = french_in(shown_text(response.content.decode()), typed=typed, catalog_labels=labels)
            if french:
                found[url] = french
    assert found == {}


def test_emails_to_a_partner_reading_english_are_english(journeys, partner, english_partner, mailoutbox):
    """The emails of the journey so far (submitted, returned for correction), sent in the recipient's
    language: subject, text and HTML."""
    labels, typed = french_catalog_labels(), typed_by_people(partner)
    received = [message for message in mailoutbox if english_partner.email in message.to]
    assert len(received) >= 2
    found = {}
    for message in received:
        parts = [message.subject, message.body, *(shown_text(html) for html, _type in message.alternatives)]
        french = french_in(" ".join(parts), typed=typed, catalog_labels=labels)
        if french:
            found[message.subject] = french
    assert found == {}


@pytest.mark.parametrize(
    ("step", "answers"),
    [
        ("type", {"action": "next"}),
        ("contact", {"action": "next", "contact_email": "not an email", "contact_phone": "12"}),
        ("livraison", {"action": "next", "delivery_date": "2001-01-01", "recipients": "nobody"}),
        ("documents", {"action": "next", "quote_number": "12"}),
    ],
)
def test_errors_are_english_too(client_for, journeys, partner, english_partner, step, answers):
    """A step sent back with its errors: the summary, each field's message and their separators."""
    draft = journeys["draft"]
    response = client_for(english_partner).post(reverse("order_wizard", args=[draft.public_id, step]), answers)
    assert response.status_code == 200
    content = response.content.decode()
    assert "error-summary" in content
    text = shown_text(content)
    assert french_in(text, typed=typed_by_people(partner), catalog_labels=french_catalog_labels()) == []
    # Each item links its field's label to the message: "Email: Enter a valid email address."
    assert "data-error-link>" in content and "</a>:" in content and "</a> :" not in content


def test_the_pages_before_login_are_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    labels = french_catalog_labels()
    for url in (reverse("login"), reverse("password_reset"), reverse("password_reset_done")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert french_in(shown_text(response.content.decode()), typed=set(), catalog_labels=labels) == [], url
