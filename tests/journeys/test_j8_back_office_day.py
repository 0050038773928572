"""J8 — the back office's day: the sales administrator's queue, oldest first; they take an order, validate
several, export the list; the cloud technician takes an activation and marks it done, and flags a blocker
on another, which then shows on top with its reason.

The demo's queue (``orders.demo.DEMO_QUEUE``): the other partner's orders submitted 0 to 6 days ago, the
oldest late; each holds a SaaS environment, so validating it hands the cloud team an activation.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from orders.demo import DEMO_QUEUE
from orders.models import Activation, ActivationStatus, Order, OrderStatus
from tests.journeys.conftest import ADV, CLOUD
from tests.journeys.walks import _admin_home

pytestmark = [pytest.mark.journey, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLDEST, *_OTHERS = sorted(DEMO_QUEUE, key=lambda row: -row[2])
BLOCKER = "Le sous-domaine demandé est déjà pris : merci de nous en indiquer un autre."


def results(page):
    return page.locator("#result_list tbody tr")


def test_j8_the_back_office_day(journey_factory):
    journey = journey_factory("J8")
    oldest = Order.objects.get(customer_name=OLDEST[0])

    # The sales administrator lands on the dashboard, then opens the orders: the queue « À traiter ».
    page = _admin_home(journey, ADV)
    journey.verify(
        "the dashboard shows its charts, each with its data table",
        lambda: journey.expect(page.get_by_text("Données du graphique")).to_have_count(3),
    )
    journey.click(page.locator("#content-main th[scope=row]").get_by_role("link", name="Commandes", exact=True))
    journey.step("queue")
    rows = results(page)
    journey.verify(
        "the oldest order waiting comes first", lambda: journey.expect(rows.first).to_contain_text(oldest.number)
    )
    journey.verify("it is marked late", lambda: journey.expect(rows.first).to_contain_text("En retard"))
    journey.verify(
        "no draft in the queue", lambda: journey.expect(page.locator("#result_list")).not_to_contain_text("Brouillon")
    )
    waiting = Order.objects.filter(status=OrderStatus.SUBMITTED).count()
    journey.verify("every order waiting, and only those", lambda: journey.expect(rows).to_have_count(waiting))

    # Take the oldest: it is theirs, and « Mes commandes » shows it.
    journey.click(rows.first.get_by_role("button", name="Prendre en charge"))
    journey.expect(page.locator(".messagelist")).to_contain_text(oldest.number)
    journey.step("taken")
    oldest.refresh_from_db()
    assert oldest.assigned_to.email == ADV
    journey.click(page.get_by_role("link", name="Mes commandes"))
    journey.step("my-orders")
    journey.expect(results(page)).to_have_count(1)
    journey.expect(results(page).first).to_contain_text(oldest.number)

    # Back to the whole queue; validate the three oldest at once.
    journey.click(page.get_by_role("link", name="Tout").first)
    journey.step("queue-again")
    three = [results(page).nth(index) for index in range(3)]
    numbers = [re.search(r"CMD-\d{4}-\d{6}", row.inner_text()).group(0) for row in three]
    for row in three:
        journey.check(row.locator("input.action-select"))
    journey.select(page.locator("select[name=action]"), value="validate_selected")
    journey.click(page.locator("button[name=index]"))
    journey.expect(page.locator(".messagelist")).to_contain_text("3 commande(s) validée(s)")
    journey.step("validated-three")
    # Validated, and already handed to the cloud team (their SaaS environment).
    assert set(Order.objects.filter(number__in=numbers).values_list("status", flat=True)) == {
        OrderStatus.IN_ACTIVATION
    }

    # Export the list as it stands (the queue: what is still waiting).
    with page.expect_download() as download:
        journey.click(page.get_by_role("link", name="Exporter (CSV)"))
    text = download.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert exported[0][0] == "N° de commande"
    assert {row[0] for row in exported[1:]} == set(
        Order.objects.filter(status=OrderStatus.SUBMITTED).values_list("number", flat=True)
    )

    # The cloud technician: the activations handed over by those validations, oldest first.
    page = _admin_home(journey, CLOUD)
    journey.click(page.locator("#content-main th[scope=row]").get_by_role("link", name="Activations", exact=True))
    journey.step("activations")
    journey.click(results(page).filter(has_text=numbers[0]).get_by_role("button", name="Prendre en charge"))
    journey.expect(page.locator(".messagelist")).to_contain_text(numbers[0])
    journey.step("activation-taken")
    journey.click(results(page).filter(has_text=numbers[0]).get_by_role("link", name="Marquer comme activé"))
    journey.step("activate")
    journey.click(page.locator("input[type=submit]"))
    journey.expect(page.locator(".messagelist")).to_contain_text(numbers[0])
    journey.step("activated")
    assert Activation.objects.get(order__number=numbers[0]).status == ActivationStatus.DONE

    journey.click(results(page).filter(has_text=numbers[1]).get_by_role("link", name="Signaler un blocage"))
    journey.step("block")
    journey.fill(page.get_by_label("Problème rencontré"), BLOCKER)
    journey.click(page.locator("input[type=submit]"))
    journey.expect(page.locator(".messagelist")).to_contain_text(numbers[1])
    journey.step("blocked")
    journey.verify(
        "the blocked activation comes first, with its reason",
        lambda: journey.expect(results(page).first).to_contain_text(
            re.compile(f"{numbers[1]}.*{re.escape(BLOCKER)}", re.S)
        ),
    )
    journey.finish()
