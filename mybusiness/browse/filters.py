"""Filter helpers shared by the lists built on the browse component."""

from __future__ import annotations


def select_options(bound_field) -> list[tuple[str, str, bool]]:
    """A select's options as (value, label, selected), for templates that write the ``<select>`` out:
    Django's widget templates cost more than the rest of a list page."""
    value = bound_field.value()
    current = "" if value is None else str(value)
    return [(str(choice), label, str(choice) == current) for choice, label in bound_field.field.choices]
