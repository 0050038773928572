"""The error summary at the top of a wizard step: one item per thing to correct, each with where to act.

Its items are the conflicts the step is part of (saved answers of two steps that disagree, or the
answer just refused because it disagrees with another step), the form's general errors and each error
of each field. The summary counts exactly these items (journeys.md, rule 6), and every item links to
the place that fixes it: its field, or the other steps the conflict names (rule 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from orders.completeness import Conflict


@dataclass(frozen=True)
class Fix:
    """A link to a place that resolves an item."""

    title: str
    url: str


@dataclass(frozen=True)
class SummaryItem:
    text: str
    label: str = ""  # the field's label, shown before the text
    anchor: str = ""  # the id of the field (or drop zone) to focus
    fixes: list[Fix] = field(default_factory=list)


def _field_anchor(bound_field) -> str:
    if bound_field.is_hidden:
        return ""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    # A group of radios or boxes: its first one; with no option yet (the origins of a type not chosen),
    # the group's box as crispy-forms writes it, so that reloading the group takes the item away.
    options = list(bound_field.subwidgets)[:1]
    return options[0].id_for_label if options else f"div_{bound_field.auto_id}"


def summary_items(*, order, current, states, form, conflicts: list[Conflict]) -> list[SummaryItem]:
    """Every item of ``current``'s error summary, conflicts first (they name the other steps)."""
    by_identifier = {state.step.identifier: state for state in states}
    items = []
    for conflict in conflicts:
        fixes = [
            Fix(str(by_identifier[identifier].step.title),
                reverse("order_wizard", args=[order.public_id, identifier]))
            for identifier in conflict.identifiers
            if identifier != current.identifier and identifier in by_identifier
            and by_identifier[identifier].reachable
        ]
        items.append(SummaryItem(conflict.text, fixes=fixes))
    if form is None or not form.is_bound:
        return items
    anchors = getattr(form, "error_anchors", {})
    for error in form.non_field_errors().as_data():
        text = " ".join(error.messages)
        if text not in {conflict.text for conflict in conflicts}:
            items.append(SummaryItem(text, anchor=anchors.get(error.code, "")))
    for bound_field in form:
        for text in bound_field.errors:
            if text in {conflict.text for conflict in conflicts}:
                continue
            items.append(SummaryItem(text, label=str(bound_field.label), anchor=_field_anchor(bound_field)))
    return items
