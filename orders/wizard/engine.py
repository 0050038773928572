"""The wizard's single dispatcher: the steps in order and who may see which.

A user is always sent to the first applicable step still missing an answer:
asking for a later step by URL lands on that one instead, so nobody skips
ahead. Steps already answered stay reachable, to change an answer, even when a
later answer conflicts with them (``completeness.order_conflicts``): a conflict
is shown on every step it names and locks none.
"""

from __future__ import annotations

from dataclasses import dataclass

from orders import completeness
from orders.models import Order
from orders.wizard.base import WizardStep
from orders.wizard.steps.contact import ContactStep
from orders.wizard.steps.delivery import DeliveryStep
from orders.wizard.steps.documents import DocumentsStep
from orders.wizard.steps.product import ProductStep
from orders.wizard.steps.review import ReviewStep
from orders.wizard.steps.site import SiteStep
from orders.wizard.steps.type_origin import TypeOriginStep

STEPS: tuple[WizardStep, ...] = (
    TypeOriginStep(),
    ProductStep(),
    SiteStep(),
    ContactStep(),
    DeliveryStep(),
    DocumentsStep(),
    ReviewStep(),
)
_BY_IDENTIFIER = {step.identifier: step for step in STEPS}


@dataclass(frozen=True)
class StepState:
    step: WizardStep
    number: int
    applicable: bool
    completed: bool
    reachable: bool
    conflicts: tuple[completeness.Conflict, ...] = ()


def step_by_identifier(identifier: str) -> WizardStep | None:
    return _BY_IDENTIFIER.get(identifier)


def applicable_steps(order: Order) -> list[WizardStep]:
    return [step for step in STEPS if step.is_applicable(order)]


def first_incomplete_step(order: Order) -> WizardStep:
    """The first applicable step still missing an answer; the review step when none is."""
    for step in applicable_steps(order):
        if step is STEPS[-1] or not step.is_completed(order):
            return step
    return STEPS[-1]


def step_states(order: Order) -> list[StepState]:
    """Every step with its number, completion, conflicts and whether the user may open it."""
    saved = order.pk is not None  # an order not saved yet (``views.order_create``) has answered nothing
    conflicts = completeness.order_conflicts(order) if saved else []
    states: list[StepState] = []
    blocked = False
    number = 0
    for step in STEPS:
        applicable = step.is_applicable(order)
        if applicable:
            number += 1
        answered = applicable and saved and step.is_completed(order)
        own = tuple(c for c in conflicts if step.identifier in c.identifiers)
        reachable = applicable and not blocked
        states.append(StepState(step, number if applicable else 0, applicable, answered and not own, reachable, own))
        # Only a missing answer closes the later steps; a conflict does not (journeys.md, rule 1).
        if applicable and not answered and step is not STEPS[-1]:
            blocked = True
    return states


def resolve_step(order: Order, identifier: str) -> WizardStep:
    """The step the user may see for ``identifier``: itself if reachable, else the first incomplete one."""
    wanted = step_by_identifier(identifier)
    for state in step_states(order):
        if state.step is wanted and state.reachable:
            return wanted
    return first_incomplete_step(order)


def next_step(order: Order, current: WizardStep) -> WizardStep:
    steps = applicable_steps(order)
    if current in steps:
        index = steps.index(current)
        if index + 1 < len(steps):
            return steps[index + 1]
    return first_incomplete_step(order)


def previous_step(order: Order, current: WizardStep) -> WizardStep | None:
    steps = applicable_steps(order)
    if current in steps:
        index = steps.index(current)
        if index > 0:
            return steps[index - 1]
    return None


def missing_for_submission(order: Order) -> list[tuple[WizardStep, list[str]]]:
    """Each incomplete part of the order (``orders.completeness``), with the step that fills it."""
    return [(_BY_IDENTIFIER[section.identifier], lacks) for section, lacks in completeness.order_missing(order)]
