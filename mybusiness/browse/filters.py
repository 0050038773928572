"""Filter helpers shared by the lists built on the browse component."""

from __future__ import annotations

import django_filters

from mybusiness.references import ReferenceChoiceFilter

# Filters whose form field is the same for every request: built once per filter set (``ListFilterSet``).
# A filter whose field depends on the request (a queryset scoped to the user's partner, choices
# read per request) is not among them, and a filter set holding one builds its form per request.
REQUEST_INDEPENDENT_FILTERS = (
    django_filters.CharFilter,
    django_filters.ChoiceFilter,
    ReferenceChoiceFilter,
)


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per class instead of on every request.

    django-filter builds a new form class (a field per filter, then ``type()``) each time a list is
    shown, about a millisecond for a list's header filters. When every filter is one of
    ``REQUEST_INDEPENDENT_FILTERS`` (exactly those classes, not subclasses of them) the first form
    class is kept: each form instance still gets its own copy of the fields, and reference
    filters list their options from the catalog cache each time.
    """

    @classmethod
    def shares_form_class(cls) -> bool:
        return all(type(filter_) in REQUEST_INDEPENDENT_FILTERS for filter_ in cls.base_filters.values())

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_shared_form_class")  # this class's own, never a parent's
        if form_class is None:
            form_class = super().get_form_class()
            if cls.shares_form_class():
                cls._shared_form_class = form_class
        return form_class


def select_options(bound_field) -> list[tuple[str, str, bool]]:
    """A select's options as (value, label, selected), for templates that write the ``<select>`` out:
    Django's widget templates cost more than the rest of a list page."""
    value = bound_field.value()
    current = "" if value is None else str(value)
    return [(str(choice), label, str(choice) == current) for choice, label in bound_field.field.choices]
