"""The OData activation across roles, in a real Chromium with a real Celery worker.

A partner asks for the OData activation from a site's page and submits the draft;
sales administration validates it in the admin (the worker hands it to the cloud
team); the cloud team marks it activated with the service addresses; the beat task
(run by the worker) issues the certificate and emails it; the partner downloads the PDF.
"""

from __future__ import annotations

import email
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from catalog.models import Solution
from certificates.models import Certificate, CertificateKind
from certificates.tasks import issue_due_certificates
from orders.models import Order, OrderStatus
from tests.conftest import wait_until
from tests.factories import PASSWORD
from tests.factories_certs import CertSiteFactory
from tests.factories_orders import catalog
from tests.otp import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

PRODUCTION = "https://odata-c900200.cloud.divalto.example/prod"
RECETTE = "https://odata-c900200.cloud.divalto.example/recette"


def log_in(browser, live_server, user, next_path):
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/compte/connexion/?next={next_path}")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "connexion" not in page.url, f"login as {user.email} failed"
    pass_second_factor(page, user)
    return page


def order_status(order):
    order.refresh_from_db()
    return order.status


def a_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Bon de commande signé — activation OData</p>").write_pdf()


def fill_the_later_steps(page):
    """Site, contact, delivery, documents: answer what each asks (the draft pre-filled the rest), up to the review."""
    for _ in range(8):
        if "/etapes/recapitulatif/" in page.url:
            return
        if "/etapes/contact/" in page.url:
            page.get_by_label("Madame").check()
            page.locator("#id_contact_first_name").fill("Inès")
            page.locator("#id_contact_last_name").fill("Garnier")
            page.locator("#id_contact_email").fill("ines.garnier@brasserie.example")
            page.locator("#id_contact_phone").fill("04 72 10 20 30")
        if page.locator("#id_document_files").count():
            page.locator("#id_document_files").set_input_files(
                files=[{"name": "bon-de-commande.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}]
            )
            page.get_by_role("button", name="Envoyer les fichiers").click()
            expect(page.get_by_text("« bon-de-commande.pdf » enregistré.")).to_be_visible()
        page.get_by_role("button", name="Suivant").click()
    raise AssertionError(f"the review was not reached: still on {page.url}")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_it_takes_an_odata_activation_from_the_site_page_to_the_downloaded_certificate(
    live_server, browser, worker, worker_mail_dir, partner, partner_user, sales_admin, cloud_member
):
    site = CertSiteFactory(
        partner=partner, number="C900200", company_name="Brasserie du Port", solution=catalog(Solution, "ONE_ERP")
    )

    # 1. The partner asks from the site's page; the draft opens at step 2, pre-filled and explained.
    partner_page = log_in(browser, live_server, partner_user, f"/sites/{site.number}/")
    expect(partner_page.get_by_text("Aucun connecteur OData n'est actif sur ce site.")).to_be_visible()
    partner_page.get_by_role("button", name="Demander l'activation OData").click()
    expect(partner_page.get_by_role("heading", name="Produit et références")).to_be_visible()
    expect(partner_page.get_by_text("Connecteurs OData : quota standard ou quota étendu")).to_be_visible()
    expect(partner_page.get_by_label("Connecteur OData ERP — quota standard")).to_have_value("1")
    partner_page.screenshot(path="test-results/odata-step-product.png", full_page=True)
    # Both quotas for the ERP connector: refused, with the reason on the page.
    partner_page.get_by_label("Connecteur OData ERP — quota étendu").fill("1")
    partner_page.get_by_role("button", name="Suivant").click()
    expect(partner_page.get_by_text("Choisissez un seul quota pour le connecteur OData ERP")).to_be_visible()
    partner_page.get_by_label("Connecteur OData ERP — quota étendu").fill("")
    partner_page.get_by_role("button", name="Suivant").click()
    fill_the_later_steps(partner_page)
    partner_page.get_by_role("button", name="Soumettre").click()
    order = Order.objects.get(site=site)
    assert order_status(order) == OrderStatus.SUBMITTED
    expect(partner_page.get_by_role("heading", name=f"Commande {order.number}")).to_be_visible()

    # 2. Sales administration validates it in the admin; the worker hands it to the cloud team.
    admin_page = log_in(browser, live_server, sales_admin, f"/admin/orders/order/{order.pk}/change/")
    admin_page.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
    admin_page.get_by_role("link", name="Valider", exact=True).click()
    admin_page.locator("input[type=submit]").click()
    wait_until(lambda: order_status(order) == OrderStatus.IN_ACTIVATION, timeout=60, message="hand-off")

    # 3. The cloud team marks it activated with the service address per environment.
    cloud_page = log_in(browser, live_server, cloud_member, "/admin/orders/activation/")
    cloud_page.goto(f"{live_server.url}/admin/orders/activation/")
    cloud_page.get_by_role("link", name="Marquer comme activé").first.click()
    cloud_page.get_by_label("Adresse du service OData — Production").fill(PRODUCTION)
    cloud_page.get_by_label("Adresse du service OData — Recette").fill(RECETTE)
    cloud_page.locator("input[type=submit]").click()
    wait_until(lambda: order_status(order) == OrderStatus.ACTIVATED, timeout=60, message="activation done")

    # 4. The beat task, in the worker: the certificate is issued, emailed with its PDF, the order completed.
    issue_due_certificates.delay()
    wait_until(lambda: order_status(order) == OrderStatus.COMPLETED, timeout=60, message="certificate issued")
    certificate = Certificate.objects.get(order=order)
    assert certificate.kind == CertificateKind.ODATA

    def certificate_email():
        for path in worker_mail_dir.glob("*.log"):
            for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
                if certificate.number in raw:
                    return email.message_from_string(raw.strip())
        return None

    message = wait_until(certificate_email, message="certificate email")
    assert partner_user.email in message["To"]
    attachment = next(part for part in message.walk() if part.get_content_type() == "application/pdf")
    assert attachment.get_filename() == f"{certificate.number}.pdf"
    mailed = pdf_text(attachment.get_payload(decode=True))
    assert PRODUCTION in mailed and RECETTE in mailed

    # 5. The partner downloads the PDF from the order page.
    partner_page.goto(f"{live_server.url}/commandes/{order.public_id}/")
    expect(partner_page.get_by_text(f"Certificat d'activation OData · {certificate.number}")).to_be_visible()
    partner_page.screenshot(path="test-results/odata-order-certificate.png", full_page=True)
    with partner_page.expect_download() as download_info:
        partner_page.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.number}.pdf"
    with open(download.path(), "rb") as handle:
        downloaded = pdf_text(handle.read())
    assert "Brasserie du Port" in downloaded and "SAAS IO ODATA" in downloaded and PRODUCTION in downloaded

    # The site page now shows the connector as active, derived from the completed order.
    partner_page.goto(f"{live_server.url}/sites/{site.number}/")
    expect(partner_page.get_by_text("Connecteur OData ERP — Quota standard")).to_be_visible()
