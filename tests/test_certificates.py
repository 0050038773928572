"""Certificates: when they are issued, what the PDF says, the email, idempotence, download and re-send."""

from __future__ import annotations

import datetime
import html
import io

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate, CertificateKind
from certificates.services import certificate_send, certificates_issue_due, certificates_issue_for_order
from certificates.tasks import issue_due_certificates
from orders.models import OrderEvent, OrderStatus
from tests.concurrency import at_once
from tests.factories_certs import CertSiteFactory, order_at

pytestmark = pytest.mark.django_db

DELIVERY = datetime.date(2026, 12, 2)


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed (line breaks depend on the layout)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def site(partner):
    return CertSiteFactory(partner=partner, number="C900001", company_name="Fromagerie des Alpes", city="Annecy")


@pytest.fixture
def activated(partner, partner_user, site):
    return order_at(
        OrderStatus.ACTIVATED,
        partner=partner,
        user=partner_user,
        site=site,
        lines=(("ONE-ERP-USER", 12), ("SAAS-ENV", 1)),
        delivery_date=DELIVERY,
        recipients=("dsi@fromagerie.example", "compta@fromagerie.example"),
    )


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Run the issuing service as the beat task does, emails (sent after commit) included."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return certificates_issue_due(**kwargs)

    return run


@pytest.fixture
def certificate(issue, activated):
    issue(today=DELIVERY)
    return Certificate.objects.get(order=activated)


# --- the schedule ----------------------------------------------------------------------------------


def test_it_issues_nothing_before_the_requested_delivery_date(issue, activated):
    assert issue(today=DELIVERY - datetime.timedelta(days=1)) == 0
    activated.refresh_from_db()
    assert activated.status == OrderStatus.ACTIVATED
    assert not Certificate.objects.exists()
    assert mail.outbox == []


def test_it_issues_on_the_requested_delivery_date(issue, activated):
    assert issue(today=DELIVERY) == 1
    activated.refresh_from_db()
    assert activated.status == OrderStatus.COMPLETED
    certificate = Certificate.objects.get(order=activated)
    assert certificate.kind == CertificateKind.LICENCE
    assert certificate.number == "CERT-" + activated.number.removeprefix("CMD-")
    assert certificate.sent_at is not None
    event = activated.events.get(to_status=OrderStatus.COMPLETED)
    assert event.from_status == OrderStatus.ACTIVATED
    assert certificate.number in event.text and "dsi@fromagerie.example" in event.text


def test_it_issues_a_late_order_on_the_next_run(issue, activated):
    assert issue(today=DELIVERY + datetime.timedelta(days=30)) == 1


def test_it_issues_a_validated_order_that_needs_no_cloud_activation(issue, partner, site):
    order = order_at(OrderStatus.VALIDATED, partner=partner, site=site, delivery_date=DELIVERY)
    assert issue(today=DELIVERY) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_it_waits_for_the_cloud_team_when_a_reference_needs_an_activation(issue, partner, site):
    order = order_at(
        OrderStatus.VALIDATED, partner=partner, site=site, delivery_date=DELIVERY, lines=(("SAAS-ENV", 1),)
    )
    in_activation = order_at(
        OrderStatus.IN_ACTIVATION, partner=partner, site=site, delivery_date=DELIVERY, lines=(("SAAS-ENV", 1),)
    )
    assert issue(today=DELIVERY) == 0
    order.refresh_from_db()
    in_activation.refresh_from_db()
    assert (order.status, in_activation.status) == (OrderStatus.VALIDATED, OrderStatus.IN_ACTIVATION)


@pytest.mark.parametrize("status", [OrderStatus.DRAFT, OrderStatus.SUBMITTED, OrderStatus.RETURNED,
                                    OrderStatus.REJECTED, OrderStatus.CANCELLED])
def test_it_never_issues_an_order_that_was_not_validated(issue, partner, site, status):
    order_at(status, partner=partner, site=site, delivery_date=DELIVERY)
    assert issue(today=DELIVERY) == 0


def test_the_beat_task_is_scheduled():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "certificates.tasks.issue_due_certificates" in tasks


def test_the_beat_task_counts_days_in_paris_time(activated, django_capture_on_commit_callbacks):
    # 23:30 UTC on 1 December is 00:30 on 2 December in Paris (UTC+1): the certificate is due.
    paris_after_midnight = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)
    with time_machine.travel(paris_after_midnight, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert issue_due_certificates.apply().get() == 1
    assert Certificate.objects.filter(order=activated).exists()
    assert len(mail.outbox) == 1


def test_the_beat_task_waits_until_midnight_in_paris(activated):
    # 22:30 UTC on 1 December is 23:30 in Paris: still the day before the requested date.
    paris_before_midnight = datetime.datetime(2026, 12, 1, 22, 30, tzinfo=datetime.UTC)
    with time_machine.travel(paris_before_midnight, tick=False):
        assert issue_due_certificates.apply().get() == 0
    assert not Certificate.objects.exists()


# --- idempotence -----------------------------------------------------------------------------------


def test_it_issues_and_sends_once_when_run_twice(issue, activated):
    assert issue(today=DELIVERY) == 1
    assert issue(today=DELIVERY) == 0
    assert Certificate.objects.filter(order=activated).count() == 1
    assert len(mail.outbox) == 1
    assert activated.events.filter(to_status=OrderStatus.COMPLETED).count() == 1


def test_issuing_an_order_already_completed_does_nothing(issue, activated, django_capture_on_commit_callbacks):
    issue(today=DELIVERY)
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_issue_for_order(order=activated, today=DELIVERY) == []
    assert len(mail.outbox) == 1


def test_a_certificate_is_unique_per_order_and_kind(certificate):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(order=certificate.order, kind=certificate.kind, number="CERT-OTHER")


def test_a_certificate_already_claimed_is_not_sent_again(certificate):
    assert certificate_send(certificate_id=certificate.pk) is False
    assert len(mail.outbox) == 1


def test_a_lost_email_is_sent_by_the_next_run(issue, activated, settings):
    settings.EMAIL_BACKEND = "tests.test_certificates.BrokenEmailBackend"
    with pytest.raises(ConnectionError):
        issue(today=DELIVERY)
    certificate = Certificate.objects.get(order=activated)
    assert certificate.sent_at is None  # the claim was given back
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    issue(today=DELIVERY)
    certificate.refresh_from_db()
    assert certificate.sent_at is not None
    assert len(mail.outbox) == 1


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP server unreachable")


# --- the PDF and the email ---------------------------------------------------------------------------


def test_the_pdf_says_who_what_and_how_many(certificate, activated, partner):
    assert certificate.pdf.name.startswith("certificates/")
    assert activated.number not in certificate.pdf.name  # the storage key is not guessable
    text = pdf_text(certificate.pdf.open("rb").read())
    assert "Certificat de licence" in text
    assert certificate.number in text
    assert "C900001" in text and "Fromagerie des Alpes" in text and "Annecy" in text
    assert partner.name in text
    assert activated.number in text
    assert "ONE-ERP-USER" in text and "12" in text
    assert "SAAS-ENV" in text
    assert "02/12/2026" in text  # the requested delivery date, in the one French date format


def test_the_email_carries_the_pdf_to_every_recipient(certificate, activated):
    (message,) = mail.outbox
    assert sorted(message.to) == ["compta@fromagerie.example", "dsi@fromagerie.example"]
    assert certificate.number in message.subject and activated.number in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == (f"{certificate.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert "Fromagerie des Alpes" in pdf_text(content)
    assert reverse("order_detail", args=[activated.public_id]) in message.body
    html_body = message.alternatives[0][0]
    assert reverse("order_detail", args=[activated.public_id]) in html_body


def test_an_odata_order_gets_an_odata_activation_certificate(issue, partner, site):
    order = order_at(OrderStatus.ACTIVATED, partner=partner, site=site, delivery_date=DELIVERY,
                     lines=(("SAAS IO ODATA EXT", 1),),
                     service_urls={"production": "https://odata.c900001.divalto.example/prod",
                                   "recette": "https://odata.c900001.divalto.example/recette"})
    issue(today=DELIVERY)
    certificate = Certificate.objects.get(order=order)
    assert certificate.kind == CertificateKind.ODATA
    assert certificate.number.endswith("-ODATA")
    text = pdf_text(certificate.pdf.open("rb").read())
    assert "Certificat d'activation OData" in text
    assert "SAAS IO ODATA EXT" in text and "Quota étendu" in text
    assert "Production https://odata.c900001.divalto.example/prod" in text
    assert "Recette https://odata.c900001.divalto.example/recette" in text


def test_an_order_with_licences_and_odata_gets_both_certificates_in_one_run(issue, partner, site):
    order = order_at(OrderStatus.ACTIVATED, partner=partner, site=site, delivery_date=DELIVERY,
                     lines=(("ONE-ERP-USER", 2), ("SAAS WONE ODATA", 1)))
    assert issue(today=DELIVERY) == 2
    assert set(order.certificates.values_list("kind", flat=True)) == {CertificateKind.LICENCE, CertificateKind.ODATA}
    assert len(mail.outbox) == 2


def test_without_recipients_the_certificate_goes_to_the_orders_author(issue, partner, partner_user, site):
    order_at(OrderStatus.VALIDATED, partner=partner, user=partner_user, site=site, delivery_date=DELIVERY,
             recipients=())
    issue(today=DELIVERY)
    assert mail.outbox[0].to == [partner_user.email]


# --- download ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 302), ("partner_user", 200), ("partner_admin", 200), ("outsider", 404), ("sales_admin", 200),
     ("cloud_member", 403)],
)
def test_it_lets_only_the_orders_partner_and_sales_admins_download(request, client_for, certificate, role, expected):
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).get(reverse("certificate_download", args=[certificate.public_id]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_guessed_certificate_id_is_a_404(client_for, partner_user):
    guessed = "6f1c2a4e-1111-4222-8333-944455556666"
    response = client_for(partner_user).get(reverse("certificate_download", args=[guessed]))
    assert response.status_code == 404


def test_the_order_page_links_to_its_certificate(client_for, partner_user, certificate, activated):
    response = client_for(partner_user).get(reverse("order_detail", args=[activated.public_id]))
    page = html.unescape(response.content.decode())
    assert reverse("certificate_download", args=[certificate.public_id]) in page
    assert certificate.number in page


def test_the_order_page_without_certificate_shows_no_certificate_block(client_for, partner_user, activated):
    response = client_for(partner_user).get(reverse("order_detail", args=[activated.public_id]))
    assert response.status_code == 200
    assert "certificates-title" not in response.content.decode()


# --- re-send by sales admin ---------------------------------------------------------------------------------


def resend_url(certificate):
    return reverse("admin:certificates_certificate_resend", args=[certificate.pk])


def test_a_sales_admin_resends_with_a_reason(client_for, sales_admin, certificate, django_capture_on_commit_callbacks):
    client = client_for(sales_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(certificate), {"reason": "Le client n'a pas reçu le premier envoi."})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    resent = mail.outbox[1]
    assert sorted(resent.to) == sorted(certificate.recipients)
    assert resent.attachments[0][0] == f"{certificate.number}.pdf"
    assert "Le client n'a pas reçu le premier envoi." in resent.body
    event = OrderEvent.objects.filter(order=certificate.order, actor=sales_admin).get()
    assert "Le client n'a pas reçu le premier envoi." in event.text


def test_a_resend_without_reason_is_refused_with_an_explanation(client_for, sales_admin, certificate):
    response = client_for(sales_admin).post(resend_url(certificate), {"reason": "   "})
    assert response.status_code == 200
    assert "Indiquez le motif du renvoi." in html.unescape(response.content.decode())
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("partner_user", 302), ("outsider", 302),
                                               ("cloud_member", 403), ("sales_admin", 200)])
def test_only_sales_admins_open_the_resend_page(request, client_for, certificate, role, expected):
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).get(resend_url(certificate))
    assert response.status_code == expected
    if expected == 302:
        assert reverse("admin:login") in response.url


def test_the_certificate_admin_shows_the_resend_button(client_for, sales_admin, certificate):
    response = client_for(sales_admin).get(reverse("admin:certificates_certificate_change", args=[certificate.pk]))
    assert response.status_code == 200
    assert resend_url(certificate) in response.content.decode()


def test_the_certificate_admin_list_runs_a_fixed_number_of_queries(
    client_for, sales_admin, partner, site, issue, django_assert_max_num_queries
):
    client = client_for(sales_admin)
    order_at(OrderStatus.ACTIVATED, partner=partner, site=site, delivery_date=DELIVERY)
    issue(today=DELIVERY)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("admin:certificates_certificate_changelist")).status_code == 200
    for _ in range(5):
        order_at(OrderStatus.ACTIVATED, partner=partner, site=site, delivery_date=DELIVERY)
    issue(today=DELIVERY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("admin:certificates_certificate_changelist"))
    assert response.content.decode().count("CERT-") >= 6


# --- concurrency ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_issue_and_send_one_certificate(partner, site):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    order = order_at(OrderStatus.ACTIVATED, partner=partner, site=site, delivery_date=DELIVERY,
                     lines=(("ONE-ERP-USER", 2), ("SAAS-ENV", 1)))
    issued = at_once(lambda: len(certificates_issue_for_order(order=order, today=DELIVERY)))
    assert sorted(issued) == [0, 1]
    assert Certificate.objects.filter(order=order).count() == 1
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.COMPLETED).count() == 1
    assert len(mail.outbox) == 1
