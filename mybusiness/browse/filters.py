"""Filter helpers shared by the lists built on the browse component."""

from __future__ import annotations

import copy
from types import MappingProxyType

import django_filters
from django.http import QueryDict

from catalog.references import ReferenceChoiceFilter

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
    ``REQUEST_INDEPENDENT_FILTERS`` (exactly those classes, not subclasses of them):
    * the first form class is kept, and its fields are shared by its forms (``SharedFields``);
      reference filters list their options from the catalog cache each time;
    * the filters are copied shallowly, instead of django-filter's deep copy of their labels,
      choices and keyword arguments, none of which a request changes.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if not self.shares_form_class():
            super().__init__(data, queryset, request=request, prefix=prefix)
            return
        # django-filter's __init__, with each filter copied instead of deep-copied.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: self._copy_filter(filter_) for name, filter_ in self.base_filters.items()}

    def _copy_filter(self, filter_):
        """The filter, given this filter set's model and itself (a ``method=`` filter finds its method on it)."""
        copied = copy.copy(filter_)
        copied.extra = dict(filter_.extra)
        copied.method = filter_.method  # a new FilterMethod, bound to the copy
        copied.model, copied.parent = self.queryset.model, self
        return copied

    @classmethod
    def shares_form_class(cls) -> bool:
        shares = cls.__dict__.get("_shares_form_class")
        if shares is None:
            shares = all(type(filter_) in REQUEST_INDEPENDENT_FILTERS for filter_ in cls.base_filters.values())
            cls._shares_form_class = shares
        return shares

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_shared_form_class")  # this class's own, never a parent's
        if form_class is None:
            form_class = super().get_form_class()
            if cls.shares_form_class():
                form_class.base_fields = SharedFields(form_class.base_fields)
                cls._shared_form_class = form_class
        return form_class


class SharedFields(dict):
    """A kept filter form class's fields, handed as they are to each of its forms.

    Django deep-copies a form class's fields for each form (``BaseForm.__init__``), so that a form
    may change its own; for a list's filters that copy (the choices, a reference field's queryset)
    cost more than validating them. No list changes a filter's field, and none may: a change would
    be seen by every later request. Their widgets' attributes, the usual place for such a change,
    become read-only so that code which tries fails at once; an attribute of the field itself
    (``field.required = ...``) is not guarded, so set it on the filter, where it is declared.
    """

    def __init__(self, fields):
        super().__init__(fields)
        for field in self.values():
            field.widget.attrs = MappingProxyType(dict(field.widget.attrs))

    def __deepcopy__(self, memo):
        return dict(self)


def select_options(bound_field) -> list[tuple[str, str, bool]]:
    """A select's options as (value, label, selected), for templates that write the ``<select>`` out:
    Django's widget templates cost more than the rest of a list page."""
    value = bound_field.value()
    current = "" if value is None else str(value)
    return [(str(choice), label, str(choice) == current) for choice, label in bound_field.field.choices]
