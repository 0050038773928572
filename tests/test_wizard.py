"""The new-order wizard: steps 1, 2 and 7, the dispatcher, drafts and submission."""

import html
import re

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from catalog.models import Generation, OrderType, Origin, ProductReference, Solution
from orders.models import Order, OrderEvent, OrderStatus
from orders.services.submission import order_submit
from orders.wizard import engine
from tests.concurrency import at_once
from tests.factories_backoffice import eager_celery  # noqa: F401
from tests.factories_orders import OrderFactory, catalog, draft_with_product
from tests.factories_steps import complete_draft

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    """The page's text as a user reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def step_url(order, step):
    return reverse("order_wizard", args=[order.public_id, step])


@pytest.fixture
def draft(partner, partner_user):
    return OrderFactory(partner=partner, created_by=partner_user)


def first_answer(**extra):
    return {"order_type": catalog(OrderType, "NEW_CUSTOMER").pk, "origin": catalog(Origin, "NEW_SITE").pk, **extra}


def test_opening_a_new_order_saves_nothing(client_for, partner_user):
    """« Nouveau » shows step 1; leaving it there leaves no empty draft behind (journeys.md, J1)."""
    response = client_for(partner_user).get(reverse("order_create"), {"cle": "6f1c2a4e-1111-4222-8333-944455556666"})
    assert response.status_code == 200
    assert "Le brouillon sera enregistré à votre première réponse." in shown(response)
    assert 'value="6f1c2a4e-1111-4222-8333-944455556666"' in response.content.decode()
    assert not Order.objects.exists()


def test_the_first_saved_answer_creates_the_draft_once_per_page(client_for, partner_user):
    client = client_for(partner_user)
    key = "6f1c2a4e-1111-4222-8333-944455556666"
    first = client.post(reverse("order_create"), first_answer(creation_key=key))
    second = client.post(reverse("order_create"), first_answer(creation_key=key))  # a double click
    order = Order.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == step_url(order, "produit")
    assert order.status == OrderStatus.DRAFT
    assert order.order_type.code == "NEW_CUSTOMER"
    assert order.events.count() == 1
    # Back to the new-order page of that key: its draft, not a second one.
    again = client.get(reverse("order_create"), {"cle": key})
    assert again.url == step_url(order, "type")


def test_a_refused_first_answer_creates_no_draft(client_for, partner_user):
    response = client_for(partner_user).post(
        reverse("order_create"), {"order_type": catalog(OrderType, "ADDITIONAL").pk,
                                  "origin": catalog(Origin, "NEW_SITE").pk}
    )
    assert response.status_code == 200
    assert "Cette origine n'est pas permise pour le type de commande choisi." in shown(response)
    assert not Order.objects.exists()


def test_step_one_of_a_new_order_offers_the_origins_of_the_chosen_type(client_for, partner_user):
    response = client_for(partner_user).get(
        reverse("order_create_fragment", args=["origins"]),
        {"order_type": catalog(OrderType, "ADDITIONAL").pk},
        HTTP_HX_REQUEST="true",
    )
    assert "Site existant" in shown(response)
    assert not Order.objects.exists()


def test_step_one_offers_the_origins_of_the_chosen_type(client_for, partner_user, draft):
    client = client_for(partner_user)
    additional = catalog(OrderType, "ADDITIONAL")
    response = client.get(
        reverse("order_wizard_fragment", args=[draft.public_id, "type", "origins"]),
        {"order_type": additional.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "Site existant" in shown(response)
    assert "Nouveau site" not in shown(response)
    # The origin is not chosen yet: the refreshed field is not judged (no « required » error).
    assert "is-invalid" not in response.content.decode()


def test_step_one_refuses_an_origin_the_type_does_not_allow(client_for, partner_user, draft):
    response = client_for(partner_user).post(
        step_url(draft, "type"),
        {"order_type": catalog(OrderType, "ADDITIONAL").pk, "origin": catalog(Origin, "NEW_SITE").pk},
    )
    assert response.status_code == 200
    assert "Cette origine n'est pas permise pour le type de commande choisi." in shown(response)
    draft.refresh_from_db()
    assert draft.order_type is None


def test_step_one_explains_missing_answers(client_for, partner_user, draft):
    response = client_for(partner_user).post(step_url(draft, "type"), {})
    assert "Choisissez le type de commande." in shown(response)
    assert "Choisissez l'origine de la commande." in shown(response)


def test_step_one_saves_and_goes_on(client_for, partner_user, draft):
    response = client_for(partner_user).post(
        step_url(draft, "type"),
        {"order_type": catalog(OrderType, "NEW_CUSTOMER").pk, "origin": catalog(Origin, "NEW_SITE").pk},
    )
    assert response.url == step_url(draft, "produit")
    draft.refresh_from_db()
    assert draft.origin.code == "NEW_SITE"


def test_save_and_exit_goes_back_to_the_list(client_for, partner_user, draft):
    response = client_for(partner_user).post(
        step_url(draft, "type"),
        {"order_type": catalog(OrderType, "NEW_CUSTOMER").pk, "origin": catalog(Origin, "NEW_SITE").pk,
         "action": "save_exit"},
    )
    assert response.url == reverse("order_list")


def test_it_cannot_jump_ahead_by_url(client_for, partner_user, draft):
    response = client_for(partner_user).get(step_url(draft, "recapitulatif"))
    assert response.status_code == 302
    assert response.url == step_url(draft, "type")


def test_an_unknown_step_sends_to_the_first_incomplete_one(client_for, partner_user, draft):
    response = client_for(partner_user).get(step_url(draft, "nimporte"))
    assert response.url == step_url(draft, "type")


def test_infinity_v7_is_offered_only_for_an_additional_order_on_an_existing_site(partner, partner_user):
    from catalog import selectors as catalog_reads

    v7 = catalog(Generation, "INFINITY_V7")
    new_customer = catalog_reads.generations_for(
        order_type=catalog(OrderType, "NEW_CUSTOMER"), origin=catalog(Origin, "NEW_SITE")
    )
    additional = catalog_reads.generations_for(
        order_type=catalog(OrderType, "ADDITIONAL"), origin=catalog(Origin, "EXISTING_SITE")
    )
    internal_existing = catalog_reads.generations_for(
        order_type=catalog(OrderType, "INTERNAL"), origin=catalog(Origin, "EXISTING_SITE")
    )
    assert v7 not in new_customer
    assert v7 in additional
    assert v7 not in internal_existing


def test_step_two_lists_the_references_of_the_solution(client_for, partner_user, draft):
    # An additional order on an existing site: the one that may take OData connectors.
    draft.order_type = catalog(OrderType, "ADDITIONAL")
    draft.origin = catalog(Origin, "EXISTING_SITE")
    draft.save()
    response = client_for(partner_user).get(
        reverse("order_wizard_fragment", args=[draft.public_id, "produit", "solutions"]),
        {"generation": catalog(Generation, "ONE").pk, "solution": catalog(Solution, "ONE_CRM").pk},
        HTTP_HX_REQUEST="true",
    )
    assert "SAAS WONE ODATA" in shown(response)
    assert "SAAS IO ODATA" not in shown(response)


def test_step_two_saves_lines_and_refuses_a_solution_of_another_generation(client_for, partner_user, draft):
    draft.order_type = catalog(OrderType, "NEW_CUSTOMER")
    draft.origin = catalog(Origin, "NEW_SITE")
    draft.save()
    client = client_for(partner_user)
    user_ref = catalog(ProductReference, "ONE-ERP-USER")
    refused = client.post(
        step_url(draft, "produit"),
        {"generation": catalog(Generation, "ONE").pk, "solution": catalog(Solution, "INFINITY").pk},
    )
    assert "Cette solution n'appartient pas à la génération choisie." in shown(refused)
    no_quantity = client.post(
        step_url(draft, "produit"),
        {"generation": catalog(Generation, "ONE").pk, "solution": catalog(Solution, "ONE_ERP").pk},
    )
    assert "Indiquez une quantité d'au moins 1" in shown(no_quantity)
    negative = client.post(
        step_url(draft, "produit"),
        {"generation": catalog(Generation, "ONE").pk, "solution": catalog(Solution, "ONE_ERP").pk,
         f"qty_{user_ref.pk}": "-2"},
    )
    assert "La quantité ne peut pas être négative." in shown(negative)
    saved = client.post(
        step_url(draft, "produit"),
        {"generation": catalog(Generation, "ONE").pk, "solution": catalog(Solution, "ONE_ERP").pk,
         f"qty_{user_ref.pk}": "12"},
    )
    assert saved.status_code == 302
    assert [(line.reference.code, line.quantity) for line in draft.lines.all()] == [("ONE-ERP-USER", 12)]


def test_changing_the_type_clears_what_no_longer_fits(client_for, partner, partner_user):
    order = draft_with_product(partner=partner, user=partner_user, generation_code="ONE", solution_code="ONE_ERP")
    response = client_for(partner_user).post(
        step_url(order, "type"),
        {"order_type": catalog(OrderType, "ADDITIONAL").pk, "origin": catalog(Origin, "EXISTING_SITE").pk},
        follow=True,
    )
    order.refresh_from_db()
    # One is allowed for an additional order: the product stays; the new-site data do not.
    assert order.generation.code == "ONE"
    assert order.customer_name == ""
    assert "informations du site" in shown(response)


def test_changing_to_v7_only_case_clears_the_product(partner, partner_user):
    from orders.services.drafts import order_set_type_origin

    order = draft_with_product(partner=partner, user=partner_user, type_code="ADDITIONAL",
                               origin_code="EXISTING_SITE", generation_code="INFINITY_V7",
                               solution_code="INFINITY_V7_ADDITIONAL", lines=(("V7-USER", 2),))
    cleared = order_set_type_origin(
        order=order, user=partner_user, order_type=catalog(OrderType, "MIGRATION"),
        origin=catalog(Origin, "EXISTING_SITE"),
    )
    order.refresh_from_db()
    assert order.generation is None and order.solution is None
    assert not order.lines.exists()
    assert "la génération et la solution" in cleared


def test_review_lists_what_is_missing_and_refuses_submission(client_for, partner, partner_user):
    order = OrderFactory(partner=partner, created_by=partner_user)
    response = client_for(partner_user).post(reverse("order_submit", args=[order.public_id]), follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    assert "il manque des informations" in shown(response)


@pytest.mark.usefixtures("eager_celery")  # the emails leave through the outbox's task, run here
def test_it_submits_a_complete_draft(client_for, partner, partner_user, django_capture_on_commit_callbacks, settings):
    order = complete_draft(partner=partner, user=partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(partner_user).post(reverse("order_submit", args=[order.public_id]))
    assert response.url == reverse("order_detail", args=[order.public_id])
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED
    assert order.number.startswith("CMD-")
    assert order.events.filter(to_status=OrderStatus.SUBMITTED).count() == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([settings.SALES_ADMIN_EMAIL, partner_user.email])
    assert order.number in mail.outbox[0].subject


def test_a_submitted_order_is_read_only_for_the_partner(client_for, partner, partner_user):
    order = complete_draft(partner=partner, user=partner_user)
    order_submit(order=order, user=partner_user)
    client = client_for(partner_user)
    assert client.get(step_url(order, "type")).url == reverse("order_detail", args=[order.public_id])
    response = client.post(step_url(order, "type"), {"order_type": catalog(OrderType, "INTERNAL").pk})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.order_type.code == "NEW_CUSTOMER"


def test_numbers_follow_each_other(partner, partner_user):
    first = complete_draft(partner=partner, user=partner_user)
    second = complete_draft(partner=partner, user=partner_user)
    order_submit(order=first, user=partner_user)
    order_submit(order=second, user=partner_user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_a_draft_survives_logout(client_for, partner_user, draft):
    client = client_for(partner_user)
    client.post(step_url(draft, "type"),
                {"order_type": catalog(OrderType, "NEW_CUSTOMER").pk, "origin": catalog(Origin, "NEW_SITE").pk})
    client.logout()
    client.force_login(partner_user)
    response = client.get(step_url(draft, "produit"))
    assert response.status_code == 200
    assert 'value="' + str(catalog(OrderType, "NEW_CUSTOMER").pk) + '"' in client.get(step_url(draft, "type")).text


def test_it_deletes_a_draft_but_never_a_submitted_order(client_for, partner, partner_user):
    draft = OrderFactory(partner=partner, created_by=partner_user)
    submitted = complete_draft(partner=partner, user=partner_user)
    order_submit(order=submitted, user=partner_user)
    client = client_for(partner_user)
    client.post(reverse("order_draft_delete", args=[draft.public_id]))
    client.post(reverse("order_draft_delete", args=[submitted.public_id]))
    assert not Order.objects.filter(pk=draft.pk).exists()
    assert Order.objects.filter(pk=submitted.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submissions_at_once_make_one(partner, partner_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    order = complete_draft(partner=partner, user=partner_user)
    outcomes = at_once(lambda: order_submit(order=Order.objects.get(pk=order.pk), user=partner_user) and "ok")
    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.SUBMITTED).count() == 1
    assert Order.objects.exclude(number=None).count() == 1


def test_a_saved_step_updates_the_callers_order_as_a_refresh_would_without_reading_it_again(
    partner, partner_user, django_assert_num_queries
):
    from orders.services import drafts
    from tests.factories_sites import SiteFactory

    order = draft_with_product(partner=partner, user=partner_user)
    order.site = SiteFactory(partner=partner)
    order.save()
    assert order.site is not None  # cached on the caller's object
    Order.objects.filter(pk=order.pk).update(comments="written meanwhile")
    # The savepoint, the lock's SELECT, the UPDATE, the release: no re-read of the row afterwards.
    with django_assert_num_queries(4):
        drafts.order_update_fields(
            order=order, user=partner_user, values={"customer_name": "Garage Neuf", "site": None}
        )
    stored = Order.objects.get(pk=order.pk)
    assert (order.customer_name, order.comments, order.updated_at) == (
        stored.customer_name, stored.comments, stored.updated_at
    )
    assert order.site_id is None and order.site is None  # the changed relation is not served stale


def test_enter_in_any_step_means_next(client_for, partner, partner_user):
    """Enter submits a form's first submit button: on every step it is « Suivant » (journeys.md, rule 4)."""
    from tests.factories_steps import complete_draft

    order = complete_draft(partner=partner, user=partner_user)
    client = client_for(partner_user)
    for state in engine.step_states(order):
        if not state.applicable or state.step is engine.STEPS[-1]:
            continue
        page = client.get(step_url(order, state.step.identifier)).content.decode()
        step_form = page[page.rindex("<form", 0, page.index('value="save_exit"')):]
        first_button = re.search(r"<button[^>]*type=\"submit\"[^>]*>", step_form).group(0)
        assert 'value="next"' in first_button, state.step.identifier
        assert 'id="step-title" tabindex="-1" data-focus-on-load' in page  # where the focus lands
