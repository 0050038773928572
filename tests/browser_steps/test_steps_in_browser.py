"""Steps 4–6 in a real browser: recipient rows added and removed, files dropped onto the zone."""

import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import DocumentKind, OrderDocument, OrderStatus
from tests.factories_orders import draft_with_product
from tests.factories_steps import PDF_BYTES, fill_steps_4_to_6

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


def screenshot(page, name):
    """Kept when STEPS_SCREENSHOT_DIR is set (to look at the pages); nothing is asserted on them."""
    folder = os.environ.get("STEPS_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def drop_files(page, selector, files):
    """Dispatch dragenter/dragover/drop with a DataTransfer holding ``files`` [(name, type, bytes)]."""
    # Once the page's scripts run: the URL changes before documents.js listens to the drop zone.
    page.wait_for_load_state()
    page.evaluate(
        """([selector, files]) => {
            const zone = document.querySelector(selector);
            const transfer = new DataTransfer();
            for (const [name, type, bytes] of files) {
                transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
            }
            for (const kind of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
            }
        }""",
        [selector, [[name, kind, list(content)] for name, kind, content in files]],
    )


def url(live_server, order, step):
    return live_server.url + reverse("order_wizard", args=[order.public_id, step])


def test_it_drops_files_onto_the_zone_and_lists_them(page, live_server, logged_in, partner, partner_user):
    order = fill_steps_4_to_6(draft_with_product(partner=partner, user=partner_user), with_purchase_order=False)
    logged_in(page, partner_user)
    page.goto(url(live_server, order, "documents"))
    # Without the purchase order the partner is told so.
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_text("Déposez le bon de commande signé")).to_be_visible()

    drop_files(page, "[data-drop-zone]", [("Bon signé.pdf", "application/pdf", PDF_BYTES),
                                          ("plan.png", "image/png", PNG_BYTES),
                                          ("page.pdf", "application/pdf", b"<html><body>not a pdf</body></html>")])
    rows = page.locator("[data-upload-row]")
    expect(rows).to_have_count(3)
    # The first file is taken for the purchase order, the others for « Autre »; each has its own choice.
    expect(rows.nth(0).get_by_label("Nature de « Bon signé.pdf »")).to_have_value("purchase_order")
    expect(rows.nth(1).get_by_label("Nature de « plan.png »")).to_have_value("other")
    screenshot(page, "step6-queue")
    page.get_by_role("button", name="Envoyer les fichiers").click()

    table = page.locator("#document-list")
    expect(table.get_by_role("link", name="Bon signé.pdf")).to_be_visible()
    expect(table.get_by_role("link", name="plan.png")).to_be_visible()
    # The HTML page named .pdf stays in the queue with the server's reason.
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("« page.pdf » n'est pas d'un type accepté")
    assert set(OrderDocument.objects.values_list("original_name", "kind")) == {
        ("Bon signé.pdf", DocumentKind.PURCHASE_ORDER), ("plan.png", DocumentKind.OTHER)
    }
    screenshot(page, "step6-documents")

    # The keyboard user's way: the file picker.
    page.get_by_label("Choisissez des fichiers sur votre poste").set_input_files(
        files=[{"name": "annexe.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    expect(rows).to_have_count(2)
    page.get_by_role("button", name="Envoyer les fichiers").click()
    expect(table.get_by_role("link", name="annexe.pdf")).to_be_visible()

    # Removing asks first, then the list is refreshed in place.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Retirer « annexe.pdf »").click()
    expect(table.get_by_role("link", name="annexe.pdf")).to_have_count(0)
    expect(page.get_by_text("Document « annexe.pdf » retiré.")).to_be_visible()


def test_a_partner_completes_steps_four_to_six_and_submits(page, live_server, logged_in, partner, partner_user):
    order = draft_with_product(partner=partner, user=partner_user)
    logged_in(page, partner_user)
    page.goto(url(live_server, order, "contact"))
    screenshot(page, "step4-empty")
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("#error-summary")).to_contain_text("Saisissez le nom de l'interlocuteur.")
    screenshot(page, "step4-errors")
    page.get_by_label("Madame").check()
    page.get_by_label("Prénom").fill("Jeanne")
    page.locator("#id_contact_last_name").fill("Martin")
    page.get_by_label("Fonction").fill("Gérante")
    page.get_by_label("E-mail").fill("jeanne.martin@boulangerie.example")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Nombre d'utilisateurs").fill("4")
    page.get_by_label("Secteur d'activité").select_option(label="Agroalimentaire")
    page.get_by_label("Effectif").fill("12")
    page.get_by_role("button", name="Suivant").click()

    expect(page).to_have_url(re.compile(r"/etapes/livraison/$"))
    page.get_by_label("Date de livraison souhaitée").fill("2099-01-01")
    page.get_by_label("Destinataire 1").fill("compta@boulangerie.example")
    add = page.get_by_role("button", name="Ajouter un destinataire")
    for n in range(2, 6):
        add.click()
        page.get_by_label(f"Destinataire {n}", exact=True).fill(f"r{n}@boulangerie.example")
    expect(add).to_be_disabled()
    expect(page.get_by_text("5 destinataires au plus")).to_be_visible()
    page.get_by_role("button", name="Retirer le destinataire 3").click()
    expect(page.locator("input[name=recipients]:not(template input)")).to_have_count(4)
    expect(add).to_be_enabled()
    page.get_by_label("Destinataire 4", exact=True).fill("COMPTA@boulangerie.example")
    page.get_by_role("button", name="Suivant").click()
    expect(page.locator("#error-summary")).to_contain_text("figure déjà au rang 1")
    # The date was too far ahead and an address was there twice: both explained, both corrected.
    expect(page.locator("#error-summary")).to_contain_text("La date de livraison doit être au plus tard le")
    page.get_by_label("Date de livraison souhaitée").fill(_in_days(10))
    page.get_by_label("Destinataire 4", exact=True).fill("dsi@boulangerie.example")
    screenshot(page, "step5")
    page.get_by_role("button", name="Suivant").click()

    expect(page).to_have_url(re.compile(r"/etapes/documents/$"))
    drop_files(page, "[data-drop-zone]", [("bon.pdf", "application/pdf", PDF_BYTES)])
    page.get_by_role("button", name="Envoyer les fichiers").click()
    expect(page.locator("#document-list").get_by_role("link", name="bon.pdf")).to_be_visible()
    page.get_by_label("Numéro de devis Divalto").fill("dev 0012345")
    page.get_by_label("Commentaires").fill("Installation souhaitée un lundi.")
    screenshot(page, "step6")
    page.get_by_role("button", name="Suivant").click()

    expect(page).to_have_url(re.compile(r"/etapes/recapitulatif/$"))
    expect(page.get_by_text("Madame Jeanne Martin")).to_be_visible()
    expect(page.get_by_text("DEV0012345")).to_be_visible()
    screenshot(page, "review")
    page.get_by_role("button", name="Soumettre").click()
    expect(page).to_have_url(re.compile(rf"/commandes/{order.public_id}/$"))
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.certificate_recipients == [
        "compta@boulangerie.example", "r2@boulangerie.example", "r4@boulangerie.example", "dsi@boulangerie.example"
    ]
    screenshot(page, "detail")


def _in_days(days):
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
