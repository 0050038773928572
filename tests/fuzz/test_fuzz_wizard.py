"""R2 for the order wizard: every step's form, its htmx fragments and the draft's creation.

Each step is fed the form's own fields (read from the rendered step), each field getting its
saved (valid) value, a value the form must refuse (a NUL character, or longer than the field
allows), or any hostile value. Whatever comes: no server error; a refused form names each field
it was given a NUL or an over-long value for, in French, on the page.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from orders.models import Order
from orders.wizard import engine
from orders.wizard.forms_delivery import RecipientsField
from tests.factories_opportunities import OpportunityFactory
from tests.factories_sites import SiteFactory
from tests.factories_steps import complete_draft
from tests.fuzz.checks import (
    assert_errors_clear,
    assert_flashed_clear,
    assert_no_server_error,
    assert_refused,
    get_query,
    post_form,
    rolled_back,
)
from tests.fuzz.strategies import (
    OK,
    REFUSED,
    UNKNOWN,
    field,
    fuzz_settings,
    hostile_text,
    hostile_uuid_text,
    hostile_value,
    nul_text,
    too_long,
)

pytestmark = pytest.mark.django_db

ACTIONS = st.one_of(st.sampled_from(["next", "next", "save_exit", "back"]), hostile_text())
# Fields whose value decides which other fields the form has (the references of a solution...).
DEPENDENCIES = {"produit": {"generation", "solution"}, "type": {"order_type", "origin"}}


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def column_length(name: str) -> int | None:
    """The length of the order's column a field is saved to (same name), if it has one."""
    try:
        return Order._meta.get_field(name).max_length
    except FieldDoesNotExist:
        return None


def field_values(name: str, form_field: forms.Field, initial) -> st.SearchStrategy:
    """``(value, refused)`` for one field of a step, from its saved value. Longer than the form allows,
    or than the column it is saved to holds, it must be refused (PostgreSQL would refuse to store it)."""
    limit = getattr(form_field, "max_length", None) or column_length(name)
    if isinstance(form_field, forms.BooleanField):
        return st.one_of(st.sampled_from(["on", "", "false", "0"]), hostile_value()).map(lambda v: (v, UNKNOWN))
    if isinstance(form_field, RecipientsField):
        saved = [as_text(v) for v in initial or []]
        return st.one_of(
            st.just((saved, OK)),
            nul_text().map(lambda v: ([*saved[:1], v], REFUSED)),
            too_long(254).map(lambda v: ([v], REFUSED)),
            st.lists(hostile_text(), min_size=1, max_size=8).map(lambda v: (v, UNKNOWN)),
            hostile_value().map(lambda v: (v, UNKNOWN)),
        )
    return field(st.just(as_text(initial)), max_length=limit)


def step_url(order, step: str) -> str:
    return reverse("order_wizard", kwargs={"public_id": order.public_id, "step": step})


def fuzz_step(client, order, step: str, data, *, extra: dict | None = None) -> None:
    """Post hostile values for the fields of ``step`` and judge the answer."""
    url = step_url(order, step)
    # The form as the step shows it to this user (built directly: rendering the page for it costs more).
    shown = engine.step_by_identifier(step).get_form(SimpleNamespace(user=order.created_by), order)
    values, refused, dependencies_changed = {}, set(), False
    fields = shown.fields if shown is not None else {}  # the review step has no form
    for name, form_field in fields.items():
        if form_field.disabled:
            continue
        saved = shown.initial.get(name, form_field.initial)
        value, verdict = data.draw(field_values(name, form_field, saved), label=name)
        values[name] = value
        if verdict is REFUSED:
            refused.add(name)
        if name in DEPENDENCIES.get(step, ()) and verdict is not OK:
            dependencies_changed = True
    values["action"] = data.draw(ACTIONS, label="action")
    values.update(extra or {})
    if dependencies_changed:
        # Other choices, other fields: only the deciding fields' own refusals are certain.
        refused &= DEPENDENCIES[step]
    response = post_form(client, url, values)
    assert_no_server_error(response)
    if response.status_code == 302:
        action = values["action"] if isinstance(values["action"], str) else None
        # « Back » with an invalid form leaves the step without saving, and says so.
        assert not refused or action == "back", f"accepted although {refused} should have been refused"
        assert_flashed_clear(response)
        return
    assert_refused(response, refused)


@pytest.fixture
def draft(partner, partner_user):
    OpportunityFactory(partner=partner, number="OPP-123456")
    return complete_draft(partner=partner, user=partner_user)


@pytest.fixture
def new_site_draft(partner, partner_user):
    SiteFactory(partner=partner, number="C077777")
    return complete_draft(partner=partner, user=partner_user, type_code="INTERNAL", origin_code="NEW_SITE")


@pytest.fixture
def existing_site_draft(partner, partner_user):
    return complete_draft(partner=partner, user=partner_user, type_code="ADDITIONAL", origin_code="EXISTING_SITE")


@pytest.fixture
def wizard_client(client, partner_user):
    client.force_login(partner_user)
    return client


@pytest.mark.parametrize("step", ["type", "produit", "contact", "livraison", "documents", "recapitulatif"])
@fuzz_settings(18)
@given(data=st.data())
def test_each_step_refuses_hostile_answers_field_by_field(wizard_client, draft, step, data):
    with rolled_back():
        fuzz_step(wizard_client, draft, step, data)


@fuzz_settings(18)
@given(data=st.data())
def test_the_new_site_step_refuses_hostile_answers_field_by_field(wizard_client, new_site_draft, data):
    draft = new_site_draft
    extra = data.draw(
        st.one_of(st.just({}), st.just({"use_existing_site": "C077777"}),
                  hostile_value().map(lambda v: {"use_existing_site": v})),
        label="use_existing_site",
    )
    with rolled_back():
        if extra:
            response = post_form(wizard_client, step_url(draft, "site"), {"action": "next", **extra})
            assert_no_server_error(response)
            if response.status_code != 302:
                assert_errors_clear(response, response.context["form"])
        else:
            fuzz_step(wizard_client, draft, "site", data)


@fuzz_settings(18)
@given(data=st.data())
def test_the_existing_site_step_refuses_hostile_answers(wizard_client, existing_site_draft, data):
    with rolled_back():
        fuzz_step(wizard_client, existing_site_draft, "site", data)


@pytest.mark.parametrize("step, fragment", [("type", "origins"), ("produit", "solutions"), ("type", "inconnu")])
@fuzz_settings(12)
@given(params=st.dictionaries(
    st.sampled_from(["order_type", "origin", "opportunity", "generation", "solution", "qty_1", "x"]),
    hostile_value(), max_size=5,
))
def test_the_htmx_fragments_answer_hostile_choices(wizard_client, draft, step, fragment, params):
    url = reverse("order_wizard_fragment", kwargs={"public_id": draft.public_id, "step": step, "fragment": fragment})
    with rolled_back():
        response = get_query(wizard_client, url, params, HTTP_HX_REQUEST="true")
        assert_no_server_error(response)
        assert response.status_code in (200, 400)


@fuzz_settings(12)
@given(step=hostile_text(), public_id=hostile_uuid_text())
def test_hostile_wizard_addresses_are_not_found_or_redirected(wizard_client, draft, step, public_id):
    with rolled_back():
        for url in (
            f"/commandes/{draft.public_id}/etapes/{quote(step, safe='')}/",
            f"/commandes/{quote(public_id, safe='')}/etapes/type/",
        ):
            response = post_form(wizard_client, url, {"action": "next"})
            assert_no_server_error(response)
            assert response.status_code in (302, 404)


@fuzz_settings(10)
@given(key=hostile_value())
def test_creating_a_draft_takes_any_creation_key(wizard_client, key):
    with rolled_back():
        response = post_form(wizard_client, reverse("order_create"), {"creation_key": key})
        assert_no_server_error(response)
        assert response.status_code == 200  # no answer given: step 1 again, with its errors
